import ArgumentParser
import SQLPlanner
import SQLSyntax
import SluiceCore

/// `sluice bench sql`: parse + bind + plan throughput of a 30-line CREATE TABLE AS SELECT with a join, a window and
/// ten functions, on one core. A measurement, not a test.
struct SQLBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sql", abstract: "SQL front-end benchmark (parse, bind, plan).")
    @Option(help: "Seconds per round of each measurement.") var seconds = 2.0
    @Option(help: "Rounds per measurement; the median is reported.") var rounds = 5
    @Flag(help: "Measure only bind + plan (for profiling).") var planOnly = false
    @Flag(help: "Measure only parsing (for profiling).") var parseOnly = false
    @Flag(help: "Measure only parse + bind + plan (for profiling).") var frontOnly = false

    static let catalogSQL = """
        CREATE STREAM orders (order_id BIGINT KEY, user_id VARCHAR, item VARCHAR, amount DOUBLE, qty INT, tags ARRAY<VARCHAR>, ts TIMESTAMP) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=4);
        CREATE TABLE users (user_id VARCHAR PRIMARY KEY, name VARCHAR, region VARCHAR, score INT) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=4);
        """

    /// 30 lines: a stream-table join, a tumbling window, and ten functions.
    static let statement = """
        CREATE TABLE regional_sales
          WITH (KAFKA_TOPIC = 'regional_sales', PARTITIONS = 4, VALUE_FORMAT = 'JSON')
        AS SELECT
          UCASE(u.region) AS region,
          COUNT(*) AS orders,
          SUM(o.amount * o.qty) AS revenue,
          AVG(o.amount) AS mean_amount,
          MAX(ABS(o.amount)) AS biggest,
          MIN(LEN(o.item)) AS shortest_item,
          COLLECT_SET(SUBSTRING(o.item, 1, 3)) AS prefixes,
          LATEST_BY_OFFSET(COALESCE(u.name, 'unknown')) AS last_buyer,
          SUM(CASE WHEN ARRAY_LENGTH(o.tags) > 2 THEN 1 ELSE 0 END) AS tagged,
          WINDOWSTART AS window_start,
          WINDOWEND AS window_end
        FROM orders o
          -- every order, enriched with its buyer
          JOIN users u
            ON o.user_id = u.user_id
        WINDOW TUMBLING (
          SIZE 1 HOUR,
          RETENTION 2 DAYS,
          GRACE PERIOD 10 MINUTES
        )
        WHERE o.amount > 0
          AND o.item IS NOT NULL
          AND u.score BETWEEN 1 AND 100
          AND ROUND(o.amount) < 10000
        GROUP BY UCASE(u.region)
        HAVING COUNT(*) > 1
        EMIT CHANGES;
        """

    func run() throws {
        var catalog = Catalog()
        for statement in try Parser.parse(Self.catalogSQL) {
            guard case .createSource(let source, _, _) = try Planner(catalog: catalog).plan(statement) else { continue }
            try catalog.add(source)
        }
        let lines = Self.statement.split(separator: "\n").count
        print("sluice bench sql: a \(lines)-line CTAS with a join, a window and ten functions, one core")
        let parsed = try Parser.parseStatement(Self.statement)
        let planner = Planner(catalog: catalog)
        if parseOnly {
            print("parse: \(try measure { _ = try Parser.parseStatement(Self.statement) })")
            return
        }
        if frontOnly {
            print("parse + bind + plan: \(try measure { _ = try planner.plan(try Parser.parseStatement(Self.statement)) })")
            return
        }
        let plan = try measure { _ = try planner.plan(parsed) }
        if planOnly {
            print("bind + plan: \(plan)")
            return
        }
        let parse = try measure { _ = try Parser.parseStatement(Self.statement) }
        let front = try measure { _ = try planner.plan(try Parser.parseStatement(Self.statement)) }
        let all = try measure {
            let statement = try Parser.parseStatement(Self.statement)
            guard case .createAsSelect(let sink, let plan, _, _) = try planner.plan(statement) else {
                throw ValidationError("the benchmark statement did not plan as CREATE TABLE AS SELECT")
            }
            _ = StreamPlanner.lower(plan, queryID: "CTAS_BENCH", sink: sink)
        }
        print("parse: \(parse)")
        print("bind + plan: \(plan)")
        print("parse + bind + plan: \(front) (target 20,000)")
        print("parse + bind + plan + lower to a dataflow: \(all)")
    }

    /// Statements per second over `rounds` rounds of `seconds` each, as "median statements/s (min–max of n rounds)":
    /// this machine's speed drifts by several percent from one second to the next.
    func measure(_ body: () throws -> Void) throws -> String {
        let rates = try measureRates(seconds: seconds, rounds: rounds, warmUp: 200, checkClockEvery: 100, body)
        return "\(Int(rates[rates.count / 2])) statements/s (median; \(Int(rates.first!))–\(Int(rates.last!)) over \(rates.count) rounds of \(seconds) s)"
    }
}
