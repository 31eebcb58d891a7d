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

SELECT * FROM orders o JOIN users u ON o.user_id = u.user_id EMIT CHANGES;

SELECT u.*, o.order_id FROM orders o JOIN users u ON o.user_id = u.user_id EMIT CHANGES;

SELECT * FROM orders o JOIN users u ON o.user_id = u.user_id JOIN payments p WITHIN 1 HOUR ON o.order_id = p.order_id EMIT CHANGES;

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

CREATE TABLE no_key AS SELECT COUNT(*) AS cnt FROM orders GROUP BY user_id EMIT CHANGES;

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

-- More queries: expressions and functions.

SELECT order_id, ABS(amount) AS a, CEIL(price) AS c, FLOOR(qty) AS f, ROUND(amount) AS r, ROUND(amount, 2) AS r2, SQRT(amount) AS s FROM orders EMIT CHANGES;

SELECT order_id, GREATEST(qty, 5, 7) AS g, LEAST(amount, 1.5) AS l FROM orders EMIT CHANGES;

SELECT order_id, CONCAT(item, '-', user_id) AS c, CONCAT_WS(',', item, user_id) AS cw, SUBSTRING(item, 1, 3) AS sub, LPAD(item, 10, '*') AS lp FROM orders EMIT CHANGES;

SELECT order_id, SPLIT(item, ',') AS parts, REGEXP_REPLACE(item, '[0-9]+', '#') AS masked, INSTR(item, 'a') AS pos FROM orders EMIT CHANGES;

SELECT order_id, ARRAY_LENGTH(tags) AS n, ARRAY_CONTAINS(tags, 'x') AS has_x, ARRAY_DISTINCT(tags) AS d, ARRAY_JOIN(tags, ';') AS j FROM orders EMIT CHANGES;

SELECT order_id, SLICE(tags, 1, 2) AS first_two, ARRAY_SORT(tags, 'DESC') AS sorted, ARRAY_MAX(tags) AS mx FROM orders EMIT CHANGES;

SELECT user_id, MAP_KEYS(attrs) AS k, MAP_VALUES(attrs) AS v, attrs['tier'] AS tier FROM users EMIT CHANGES;

SELECT order_id, UNIX_TIMESTAMP(ts) AS epoch, FORMAT_TIMESTAMP(ts, 'yyyy-MM-dd') AS day, TIMESTAMPADD(HOURS, 2, ts) AS later FROM orders EMIT CHANGES;

SELECT order_id, PARSE_TIMESTAMP(item, 'yyyy-MM-dd HH:mm') AS parsed, FROM_UNIXTIME(order_id) AS t FROM orders EMIT CHANGES;

SELECT order_id, EXTRACTJSONFIELD(item, '$.name') AS name, IS_JSON_STRING(item) AS valid, TO_JSON_STRING(address) AS addr FROM orders EMIT CHANGES;

SELECT order_id, NULLIF(qty, 0) AS q, COALESCE(price, CAST(0 AS DECIMAL(10, 2))) AS p FROM orders EMIT CHANGES;

SELECT order_id, qty % 3 AS m, -amount AS neg, amount / qty AS ratio FROM orders EMIT CHANGES;

SELECT order_id, item || '!' AS shout, item + '?' AS ask FROM orders EMIT CHANGES;

SELECT order_id FROM orders WHERE NOT (qty > 1 OR amount < 5) EMIT CHANGES;

SELECT order_id FROM orders WHERE item NOT LIKE '%x%' ESCAPE '\' AND qty NOT BETWEEN 3 AND 4 AND user_id NOT IN ('z') EMIT CHANGES;

SELECT order_id FROM orders WHERE item IS DISTINCT FROM user_id EMIT CHANGES;

SELECT order_id, CASE qty WHEN 1 THEN 'one' WHEN 2 THEN 'two' END AS word FROM orders EMIT CHANGES;

SELECT order_id, CAST(ts AS DATE) AS d, CAST(item AS INT) AS n, CAST(order_id AS DOUBLE) AS x FROM orders EMIT CHANGES;

SELECT order_id, address->zip AS zip, o.address->city AS city FROM orders o EMIT CHANGES;

SELECT address->* FROM orders EMIT CHANGES;

SELECT o.* FROM orders o EMIT CHANGES;

SELECT order_id, ROWTIME, ROWPARTITION, ROWOFFSET FROM orders EMIT CHANGES;

SELECT order_id, GEO_DISTANCE(1.0, 2.0, 3.0, 4.0, 'KM') AS km FROM orders EMIT CHANGES;

SELECT order_id, UUID() AS id, RANDOM() AS r, PI() AS p FROM orders EMIT CHANGES;

SELECT order_id, DATEADD(DAYS, 1, CAST(ts AS DATE)) AS tomorrow FROM orders EMIT CHANGES;

SELECT order_id, AS_MAP(ARRAY['a', 'b'], ARRAY[1, 2]) AS m, ELT(2, 'a', 'b', 'c') AS e, FIELD('b', 'a', 'b') AS f FROM orders EMIT CHANGES;

SELECT order_id, GENERATE_SERIES(1, qty) AS series FROM orders EMIT CHANGES;

SELECT order_id, ENCODE(item, 'utf8', 'base64') AS b64, MD5(item) AS hash, TO_BYTES(item, 'utf8') AS raw FROM orders EMIT CHANGES;

SELECT order_id, MASK(item) AS m, MASK_KEEP_LEFT(item, 2) AS mk FROM orders EMIT CHANGES;

SELECT order_id, URL_EXTRACT_HOST(item) AS host, URL_EXTRACT_PARAMETER(item, 'q') AS q FROM orders EMIT CHANGES;

SELECT order_id, TRANSFORM(tags, t => LEN(t)) AS lens FROM orders EMIT CHANGES;

SELECT reading * 1.5 AS scaled, unit FROM readings EMIT CHANGES;

SELECT sensor, reading FROM readings WHERE reading > 1.5e2 EMIT CHANGES LIMIT 1;

-- More aggregations, windows and keys.

SELECT user_id, COUNT_DISTINCT(item) AS items, COLLECT_SET(item) AS set, EARLIEST_BY_OFFSET(amount) AS first FROM orders GROUP BY user_id EMIT CHANGES;

SELECT user_id, STDDEV_SAMP(amount) AS sd, CORRELATION(amount, CAST(qty AS DOUBLE)) AS corr, TOPKDISTINCT(qty, 2) AS top FROM orders GROUP BY user_id EMIT CHANGES;

SELECT user_id, LATEST_BY_OFFSET(amount, 3) AS last3 FROM orders GROUP BY user_id EMIT CHANGES;

SELECT item, SUM(qty) AS units FROM orders WINDOW TUMBLING (SIZE 1 DAY, RETENTION 7 DAYS, GRACE PERIOD 1 HOUR) GROUP BY item EMIT CHANGES;

SELECT UCASE(item) AS item, COUNT(*) AS cnt FROM orders GROUP BY UCASE(item) EMIT CHANGES;

SELECT user_id, item, COUNT(*) AS cnt FROM orders GROUP BY user_id, item HAVING SUM(qty) > 10 AND COUNT(*) < 100 EMIT CHANGES;

SELECT order_id, COUNT(*) AS cnt FROM orders GROUP BY order_id EMIT CHANGES;

SELECT region, COUNT(*) AS users FROM users GROUP BY region EMIT CHANGES;

SELECT user_id, url, duration FROM clicks WHERE duration > 1000 PARTITION BY url EMIT CHANGES;

SELECT user_id, duration FROM clicks PARTITION BY UCASE(url) EMIT CHANGES;

SELECT o.order_id, p.payment_id FROM orders o LEFT JOIN payments p WITHIN 30 SECONDS ON o.order_id = p.order_id EMIT CHANGES;

SELECT o.order_id, p.payment_id FROM orders o RIGHT JOIN payments p WITHIN 30 SECONDS GRACE PERIOD 10 SECONDS ON o.order_id = p.order_id EMIT CHANGES;

SELECT u.user_id, r.manager FROM users u LEFT JOIN regions r ON u.region = r.region EMIT CHANGES;

SELECT u.user_id, r.manager FROM users u FULL OUTER JOIN regions r ON u.region = r.region EMIT CHANGES;

SELECT c.user_id, u.name, c.url FROM clicks c JOIN users u ON c.user_id = u.user_id EMIT CHANGES;

SELECT o.order_id, p.payment_id FROM orders o JOIN payments p WITHIN 1 HOUR ON o.order_id = p.order_id AND o.amount = p.amount EMIT CHANGES;

SELECT u.region, COUNT(*) AS orders FROM orders o JOIN users u ON o.user_id = u.user_id GROUP BY u.region EMIT CHANGES;

SELECT order_id, EXPLODE(tags) AS tag, EXPLODE(TRANSFORM(tags, t => LEN(t))) AS len FROM orders EMIT CHANGES;

SELECT user_id FROM orders UNION ALL SELECT user_id FROM clicks EMIT CHANGES;

-- Pull queries.

SELECT name FROM users WHERE user_id = 'u1' AND score > 3;

SELECT * FROM users ORDER BY name NULLS FIRST LIMIT 3;

SELECT DISTINCT region FROM users WHERE score > 10 ORDER BY region LIMIT 5;

SELECT DISTINCT region FROM users ORDER BY score;

SELECT DISTINCT user_id FROM orders EMIT CHANGES;

SELECT region FROM users GROUP BY region HAVING COUNT(*) > 1 ORDER BY SUM(score) DESC, region;

SELECT user_id, score * 2 AS double_score FROM users WHERE region IS NULL;

SELECT COUNT(*) FROM users;

-- Persistent queries and DML.

CREATE STREAM enriched WITH (KAFKA_TOPIC='enriched', VALUE_FORMAT='DELIMITED') AS SELECT o.order_id AS order_id, u.name AS name FROM orders o JOIN users u ON o.user_id = u.user_id EMIT CHANGES;

CREATE STREAM by_item AS SELECT item, order_id, amount FROM orders PARTITION BY item EMIT CHANGES;

CREATE OR REPLACE TABLE totals AS SELECT user_id, SUM(amount) AS total FROM orders GROUP BY user_id EMIT CHANGES;

CREATE TABLE IF NOT EXISTS regional AS SELECT region, COUNT(*) AS n FROM users GROUP BY region EMIT CHANGES;

INSERT INTO orders (order_id, user_id, item, amount) VALUES (1, 'u1', 'apple', 2.5);

INSERT INTO orders (ROWTIME, order_id, amount, qty) VALUES (1700000000000, 2, 10, 3);

INSERT INTO users (user_id, name, score) VALUES ('u9', 'Nine', 9), ('u8', 'Eight', NULL);

INSERT INTO orders VALUES (3, 'u3', 'pear', 1.0, 2, 9.99, ARRAY['a'], STRUCT(city := 'Oslo', zip := '0150'), NULL);

DELETE FROM users WHERE user_id = 'u9';

CREATE TYPE address_t AS STRUCT<street VARCHAR, number INT>;

CREATE STREAM with_type (id INT KEY, addr STRUCT<street VARCHAR, number INT>) WITH (KAFKA_TOPIC='with_type', FORMAT='JSON');

CREATE SOURCE TABLE users_ro (user_id VARCHAR PRIMARY KEY, name VARCHAR) WITH (KAFKA_TOPIC='users', FORMAT='JSON');

CREATE STREAM s_headers (id BIGINT KEY, v VARCHAR, h ARRAY<STRUCT<key VARCHAR, value BYTES>> HEADERS, trace BYTES HEADER('trace-id')) WITH (KAFKA_TOPIC='s_headers', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');

CREATE STREAM s_multi (a INT KEY, b VARCHAR KEY, v INT) WITH (KAFKA_TOPIC='s_multi', KEY_FORMAT='JSON', VALUE_FORMAT='JSON', PARTITIONS=3, RETENTION_MS=86400000, CLEANUP_POLICY='delete');

CREATE STREAM s_ts (id INT KEY, at VARCHAR) WITH (KAFKA_TOPIC='s_ts', VALUE_FORMAT='JSON', TIMESTAMP='at', TIMESTAMP_FORMAT='yyyy-MM-dd HH:mm:ss');

-- Commands the engine runs directly.

SHOW STREAMS;

LIST TABLES EXTENDED;

SHOW TOPICS;

SHOW QUERIES;

SHOW PROPERTIES;

SHOW FUNCTIONS;

DESCRIBE orders;

DESCRIBE orders EXTENDED;

DESCRIBE FUNCTION TOPK;

TERMINATE CSAS_BIG_ORDERS_1;

TERMINATE ALL;

PAUSE ALL;

RESUME CTAS_TOTALS_2;

SET 'auto.offset.reset'='earliest';

UNSET 'auto.offset.reset';

DROP STREAM IF EXISTS big_orders DELETE TOPIC;

DROP TABLE users;

PRINT 'orders' FROM BEGINNING LIMIT 3;

EXPLAIN CSAS_BIG_ORDERS_1;

EXPLAIN CREATE TABLE t_explained AS SELECT item, COUNT(*) AS n FROM orders GROUP BY item EMIT CHANGES;

-- More errors.

INSERT INTO orders (order_id, nope) VALUES (1, 2);

INSERT INTO orders (order_id, amount) VALUES ('x', 1.0);

INSERT INTO users (name) VALUES ('no key');

INSERT INTO orders (order_id, amount) VALUES (1);

INSERT INTO users_missing (a) VALUES (1);

DELETE FROM orders WHERE order_id = 1;

DELETE FROM users;

CREATE STREAM s7 (id INT KEY, a INT, b INT) WITH (KAFKA_TOPIC='s7', FORMAT='JSON', VALUE_FORMAT='JSON');

CREATE STREAM s8 (id INT KEY, a INT) WITH (KAFKA_TOPIC='s8', TIMESTAMP='nope');

CREATE STREAM s9 (id INT KEY, a VARCHAR) WITH (KAFKA_TOPIC='s9', TIMESTAMP='a');

CREATE STREAM s10 (a INT KEY, b INT KEY, v INT) WITH (KAFKA_TOPIC='s10');

CREATE STREAM s10n (a INT KEY, v INT) WITH (KAFKA_TOPIC='s10n', KEY_FORMAT='NONE');

CREATE STREAM s11 (id INT KEY, m MAP<INT, VARCHAR>) WITH (KAFKA_TOPIC='s11');

CREATE STREAM s12 (id INT KEY, v unknown_type) WITH (KAFKA_TOPIC='s12');

CREATE STREAM s13 (id INT KEY, v INT) WITH (KAFKA_TOPIC='s13', PARTITIONS=0);

CREATE STREAM s14 (id INT KEY, v DECIMAL(40, 2)) WITH (KAFKA_TOPIC='s14');

CREATE STREAM s15 (rowtime BIGINT, v INT) WITH (KAFKA_TOPIC='s15');

SELECT order_id FROM orders WHERE ts > 'not a time' EMIT CHANGES;

SELECT tags['x'] FROM orders EMIT CHANGES;

SELECT qty[1] FROM orders EMIT CHANGES;

SELECT ABS(item) FROM orders EMIT CHANGES;

SELECT SUBSTRING(item) FROM orders EMIT CHANGES;

SELECT COUNT(*) AS a, COUNT(*) AS a FROM orders EMIT CHANGES;

SELECT user_id, COUNT(COUNT(*)) FROM orders GROUP BY user_id EMIT CHANGES;

SELECT * FROM orders GROUP BY user_id EMIT CHANGES;

SELECT order_id FROM orders HAVING qty > 1 EMIT CHANGES;

SELECT order_id FROM orders WINDOW TUMBLING (SIZE 1 SECOND) EMIT CHANGES;

SELECT user_id, COUNT(*) FROM orders WINDOW TUMBLING (SIZE 1 HOUR, RETENTION 1 MINUTE) GROUP BY user_id EMIT CHANGES;

SELECT name FROM users PARTITION BY name;

SELECT region FROM users PARTITION BY region EMIT CHANGES;

SELECT * FROM users EMIT CHANGES OFFSET 3;

SELECT o.order_id FROM orders o JOIN users u WITHIN 1 HOUR ON o.user_id = u.user_id EMIT CHANGES;

SELECT o.order_id FROM orders o FULL JOIN users u ON o.user_id = u.user_id EMIT CHANGES;

SELECT o.order_id FROM orders o JOIN payments p WITHIN 1 HOUR ON o.item = p.order_id EMIT CHANGES;

SELECT order_id FROM orders UNION ALL SELECT user_id FROM users EMIT CHANGES;

SELECT ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY amount) AS rn FROM orders EMIT CHANGES;

SELECT WINDOWSTART FROM orders EMIT CHANGES;

SELECT * FROM users u JOIN users v ON u.user_id = v.user_id WHERE user_id = 'x';

-- Schema changes, assertions and variables (the engine runs them; ${name} is substituted before parsing).

ALTER STREAM orders ADD COLUMN coupon VARCHAR, ADD COLUMN channel VARCHAR;

ALTER TABLE users ADD email STRING;

ASSERT TOPIC 'orders' WITH (PARTITIONS=4) TIMEOUT 10 SECONDS;

ASSERT NOT EXISTS TOPIC 'gone';

ASSERT VALUES orders (order_id, item) VALUES (1, 'apple');

ASSERT NULL VALUES users (user_id) KEY ('u9');

ASSERT STREAM orders (order_id BIGINT KEY, item VARCHAR) WITH (KAFKA_TOPIC='orders');

ASSERT TABLE users;

DEFINE min_amount = '100';

DEFINE topic = 'orders';

SELECT order_id, amount FROM orders WHERE amount > ${min_amount} EMIT CHANGES;

ASSERT TOPIC '${topic}';

UNDEFINE min_amount;

SHOW VARIABLES;

DROP TYPE address_t;

DROP TYPE IF EXISTS address_t;

-- More listings.

SHOW TYPES;

SHOW ALL TOPICS;

SHOW ALL TOPICS EXTENDED;

SHOW STREAMS EXTENDED;

SHOW QUERIES EXTENDED;

DESCRIBE EXTENDED orders;

-- More expressions, aggregations and DDL.

SELECT order_id, LAG(amount, 1) OVER (PARTITION BY user_id ORDER BY ts) AS prev FROM orders EMIT CHANGES;

SELECT order_id, LEAD(amount) OVER (ORDER BY ts) AS next FROM orders EMIT CHANGES;

SELECT region, COUNT(DISTINCT score) AS scores FROM users GROUP BY region;

SELECT COUNT(DISTINCT region) AS regions FROM users;

CREATE TABLE items_per_user AS SELECT user_id, COUNT(DISTINCT item) AS items FROM orders GROUP BY user_id EMIT CHANGES;

SELECT order_id FROM orders WHERE item IS NOT DISTINCT FROM user_id EMIT CHANGES;

SELECT order_id, TRUE AS yes, FALSE AS no FROM orders WHERE (qty > 1) = TRUE AND NOT FALSE EMIT CHANGES;

CREATE OR REPLACE STREAM clicks (user_id VARCHAR KEY, url VARCHAR, duration BIGINT, referrer VARCHAR) WITH (KAFKA_TOPIC='clicks', FORMAT='JSON');

CREATE OR REPLACE STREAM audit_log (id INT KEY, msg VARCHAR) WITH (KAFKA_TOPIC='audit_log', FORMAT='JSON');

CREATE SOURCE STREAM audit (id INT KEY, msg STRING) WITH (KAFKA_TOPIC='audit', FORMAT='JSON');

SELECT user_id, ENTRIES(attrs, true) AS sorted_entries, ENTRIES(attrs, false)[1]->K AS first_key FROM users EMIT CHANGES;

SELECT name, ENTRIES(attrs, score > 3) AS e FROM users WHERE user_id = 'u1';

SELECT ENTRIES(attrs) FROM users EMIT CHANGES;

SELECT ENTRIES(tags, true) FROM orders EMIT CHANGES;

-- Lambdas over a map take (key, value).

SELECT user_id, TRANSFORM(attrs, (k, v) => UCASE(k), (k, v) => LEN(v) + score) AS lens, FILTER(attrs, (k, v) => k LIKE 't%' AND v <> '') AS t_attrs, REDUCE(attrs, 0, (s, k, v) => s + LEN(k) + LEN(v)) AS size FROM users EMIT CHANGES;

SELECT TRANSFORM(attrs, (k, v) => LEN(k), (k, v) => v) FROM users EMIT CHANGES;

SELECT FILTER(attrs, x => x = 'a') FROM users EMIT CHANGES;

SELECT REDUCE(attrs, 0, (s, v) => s + LEN(v)) FROM users EMIT CHANGES;
