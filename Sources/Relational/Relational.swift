// The Relational module: Sluice's model of SQL data, shared by the planner and the executors.
//
// It owns (DESIGN.md, "Layers"):
// - Types and values: `DataType` (ksqlDB's types, canonical SQL spelling), `Value` (one SQL value),
//   `SQLDecimal` (exact DECIMAL up to 38 digits), `DateTimeText` (ISO-8601 for DATE, TIME, TIMESTAMP).
// - Semantics: `ThreeValuedLogic` (AND/OR/NOT with NULL), `Value.compare` / `sqlEquals` /
//   `orderingCompare` (NULLs, numeric promotion, ORDER BY), `Value: Hashable` (GROUP BY identity),
//   `DataType.commonSuperType` (implicit widening), `Value.cast` / `Value.canCast` (CAST),
//   `ArithmeticOperator.resultType` and `Value.arithmetic` (checked arithmetic).
// - Relations: `Schema` of `Column`s (key, value, header, pseudo), `Row`, column-oriented `RowBatch`,
//   `ChangeOp` (insert, delete, update-before, update-after).
// - Record formats: `RecordFormat` (JSON, DELIMITED, KAFKA, NONE) making `RecordDecoder`/`RecordEncoder`,
//   over `JSONRecordDecoder`/`JSONRecordEncoder`, `DelimitedRecordDecoder`/`DelimitedRecordEncoder`,
//   `KafkaRecordDecoder`/`KafkaRecordEncoder`.
// - Errors: `RelationalError`, a stable code with its PostgreSQL SQLSTATE.
//
// No Foundation: text, numbers, dates and JSON are handled over UTF-8 bytes directly.
