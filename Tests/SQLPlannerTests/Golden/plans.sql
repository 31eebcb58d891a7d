-- One statement per entry, separated by blank lines. Each is planned against catalog.sql; plans.golden holds the
-- expected EXPLAIN text or error. Regenerate on purpose with SQLPLANNER_UPDATE_GOLDEN=1 swift test --filter SQLPlannerTests.

SELECT * FROM orders EMIT CHANGES;

SELECT order_id, amount FROM orders WHERE amount > 100 EMIT CHANGES LIMIT 5;

SELECT order_id, amount * 2 AS doubled, qty + 1, UCASE(item) AS item_upper FROM orders EMIT CHANGES;

SELECT o.order_id, o.address->city AS city, o.tags[1] AS first_tag FROM orders o EMIT CHANGES;

SELECT order_id FROM orders WHERE ROWTIME >= '2024-01-01T00:00:00' EMIT CHANGES;

SELECT order_id, price * qty AS total FROM orders EMIT CHANGES;

SELECT order_id, CASE WHEN amount > 100 THEN 'big' WHEN amount > 10 THEN 'medium' ELSE 'small' END AS size FROM orders EMIT CHANGES;

SELECT order_id, CAST(amount AS DECIMAL(12, 2)) AS exact, CAST(qty AS VARCHAR) AS qty_text FROM orders EMIT CHANGES;

SELECT order_id FROM orders WHERE item LIKE 'a%' AND qty BETWEEN 1 AND 10 AND user_id IN ('u1', 'u2') AND ts IS NOT NULL EMIT CHANGES;

SELECT order_id, COALESCE(item, 'none') AS item, IFNULL(qty, 0) AS qty FROM orders EMIT CHANGES;

SELECT order_id, TRANSFORM(tags, t => UCASE(t)) AS upper_tags, FILTER(tags, t => LEN(t) > 3) AS long_tags, REDUCE(tags, 0, (s, t) => s + LEN(t)) AS total_len FROM orders EMIT CHANGES;

SELECT order_id, ARRAY[qty, 2, 3] AS a, MAP('k' := item) AS m, STRUCT(x := amount, y := qty) AS s FROM orders EMIT CHANGES;

SELECT user_id, COUNT(*) AS cnt, SUM(amount) AS total FROM orders GROUP BY user_id EMIT CHANGES;

SELECT user_id, COUNT(*) AS cnt FROM orders GROUP BY user_id HAVING COUNT(*) > 2 EMIT CHANGES;

SELECT user_id, item, MAX(amount) AS biggest, MIN(qty) AS smallest, AVG(amount) AS mean FROM orders GROUP BY user_id, item EMIT CHANGES;

SELECT user_id, WINDOWSTART AS ws, WINDOWEND AS we, COUNT(*) AS cnt FROM orders WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY user_id EMIT CHANGES;

SELECT user_id, COUNT(*) AS cnt FROM orders WINDOW HOPPING (SIZE 10 MINUTES, ADVANCE BY 1 MINUTE, GRACE PERIOD 30 SECONDS) GROUP BY user_id EMIT FINAL;

SELECT user_id, COUNT(*) AS cnt FROM orders WINDOW SESSION (5 MINUTES) GROUP BY user_id EMIT CHANGES;

SELECT COUNT(*) AS total FROM orders EMIT CHANGES;

SELECT user_id, LATEST_BY_OFFSET(item) AS last_item, COLLECT_LIST(qty) AS qtys, TOPK(amount, 3) AS top3, HISTOGRAM(item) AS items FROM orders GROUP BY user_id EMIT CHANGES;

SELECT user_id, SUM(price) AS total FROM orders GROUP BY user_id EMIT CHANGES;

SELECT item, order_id FROM orders PARTITION BY item EMIT CHANGES;

SELECT order_id, EXPLODE(tags) AS tag FROM orders EMIT CHANGES;

SELECT o.order_id, u.name, u.region FROM orders o JOIN users u ON o.user_id = u.user_id EMIT CHANGES;

SELECT o.order_id, u.name FROM orders o LEFT JOIN users u ON o.user_id = u.user_id EMIT CHANGES;

SELECT o.order_id, p.payment_id FROM orders o JOIN payments p WITHIN 1 HOUR ON o.order_id = p.order_id EMIT CHANGES;

SELECT o.order_id, p.payment_id FROM orders o FULL OUTER JOIN payments p WITHIN (10 MINUTES, 1 HOUR) GRACE PERIOD 5 MINUTES ON o.order_id = p.order_id AND p.amount >= o.amount EMIT CHANGES;

SELECT u.user_id, r.manager FROM users u JOIN regions r ON u.region = r.region EMIT CHANGES;

SELECT o.order_id, u.name, r.manager FROM orders o JOIN users u ON o.user_id = u.user_id JOIN regions r ON u.region = r.region EMIT CHANGES;

SELECT order_id FROM orders UNION ALL SELECT order_id FROM payments EMIT CHANGES;

SELECT * FROM (SELECT order_id, amount FROM orders WHERE amount > 10) big WHERE big.amount < 1000 EMIT CHANGES;

WITH big AS (SELECT order_id, amount FROM orders WHERE amount > 10) SELECT order_id FROM big EMIT CHANGES;

SELECT * FROM users WHERE user_id = 'u1';

SELECT name, score FROM users WHERE score > 10 ORDER BY score DESC, name LIMIT 10 OFFSET 5;

SELECT user_id FROM users WHERE user_id IN ('a', 'b', 'c');

SELECT * FROM users WHERE user_id >= 'a' AND user_id < 'm';

CREATE STREAM big_orders WITH (KAFKA_TOPIC='big_orders', PARTITIONS=6) AS SELECT * FROM orders WHERE amount > 100 EMIT CHANGES;

CREATE TABLE orders_per_user AS SELECT user_id, COUNT(*) AS cnt FROM orders GROUP BY user_id EMIT CHANGES;

CREATE TABLE hourly AS SELECT user_id, COUNT(*) AS cnt FROM orders WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY user_id EMIT FINAL;

INSERT INTO big_orders_copy SELECT * FROM orders EMIT CHANGES;

EXPLAIN SELECT order_id FROM orders WHERE qty > 1 EMIT CHANGES;

-- Errors, each with its SQLSTATE.

SELECT * FROM "orders" EMIT CHANGES;

SELECT * FROM ordrs EMIT CHANGES;

SELECT amout FROM orders EMIT CHANGES;

SELECT x.order_id FROM orders o EMIT CHANGES;

SELECT user_id FROM orders o JOIN users u ON o.user_id = u.user_id EMIT CHANGES;

SELECT order_id FROM orders WHERE amount EMIT CHANGES;

SELECT order_id FROM orders WHERE item > 5 EMIT CHANGES;

SELECT item + 1 FROM orders EMIT CHANGES;

SELECT UCASEE(item) FROM orders EMIT CHANGES;

SELECT UCASE(amount) FROM orders EMIT CHANGES;

SELECT user_id, item, COUNT(*) FROM orders GROUP BY user_id EMIT CHANGES;

SELECT order_id FROM orders WHERE COUNT(*) > 1 EMIT CHANGES;

SELECT user_id, COUNT(*) FROM users WINDOW TUMBLING (SIZE 1 HOUR) GROUP BY user_id EMIT CHANGES;

SELECT * FROM orders;

SELECT order_id FROM orders EMIT FINAL;

SELECT order_id FROM orders ORDER BY order_id EMIT CHANGES;

SELECT o.order_id FROM orders o JOIN payments p ON o.order_id = p.order_id EMIT CHANGES;

SELECT o.order_id FROM orders o JOIN payments p WITHIN 1 HOUR ON o.amount > p.amount EMIT CHANGES;

SELECT u.user_id FROM users u JOIN orders o ON u.user_id = o.user_id EMIT CHANGES;

SELECT CAST(tags AS INT) FROM orders EMIT CHANGES;

SELECT order_id, order_id FROM orders EMIT CHANGES;

SELECT address->town FROM orders EMIT CHANGES;

SELECT user_id, COUNT(*) FROM orders WINDOW HOPPING (SIZE 1 MINUTE, ADVANCE BY 2 MINUTES) GROUP BY user_id EMIT CHANGES;

CREATE STREAM s2 (id INT PRIMARY KEY, v INT) WITH (KAFKA_TOPIC='s2');

CREATE TABLE t2 (id INT, v INT) WITH (KAFKA_TOPIC='t2');

CREATE STREAM s3 (id INT KEY, v INT) WITH (VALUE_FORMAT='JSON');

CREATE STREAM s4 (id INT KEY, v INT) WITH (KAFKA_TOPIC='s4', VALUE_FORMAT='AVRO');

CREATE STREAM s5 (id INT KEY, v INT) WITH (KAFKA_TOPIC='s5', VALU_FORMAT='JSON');

CREATE STREAM s6 (id INT KEY, v INT, v BIGINT) WITH (KAFKA_TOPIC='s6');

CREATE STREAM orders (id INT KEY, v INT) WITH (KAFKA_TOPIC='x');

CREATE STREAM agg AS SELECT user_id, COUNT(*) FROM orders GROUP BY user_id EMIT CHANGES;

CREATE TABLE copy AS SELECT * FROM orders EMIT CHANGES;

INSERT INTO users SELECT * FROM orders EMIT CHANGES;

SELECT 9999999999999999999 FROM orders EMIT CHANGES;

SELECT FILTER(tags, t => t) FROM orders EMIT CHANGES;
