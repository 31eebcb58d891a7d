-- unknown streams get 42P01
-- expect error 42P01
SELECT * FROM nowhere EMIT CHANGES;
-- expect error 42P01
INSERT INTO nowhere (a) VALUES (1);
