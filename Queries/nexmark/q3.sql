-- Query 3: local item suggestion: who sells in OR, ID or CA in category 10, and which auctions
CREATE STREAM q3 WITH (KAFKA_TOPIC='q3', PARTITIONS=1) AS SELECT a.seller AS seller, p.name AS name, p.city AS city, p.state AS state, a.id AS id FROM auction a JOIN people p ON a.seller = p.id WHERE a.category = 10 AND (p.state = 'OR' OR p.state = 'ID' OR p.state = 'CA') EMIT CHANGES;
