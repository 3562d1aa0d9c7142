import SQLParser
import Testing

/// The queries Avocet was built to answer, pasted exactly as analysts wrote them.
@Suite("Seed queries")
struct SeedQueryTests {
  static let seeds = [
    "SELECT year, month, day, COUNT(*) AS event_count FROM delta_scan('{path}') GROUP BY year, month, day ORDER BY year DESC, month DESC, day DESC;",
    "SELECT DISTINCT client_ip FROM delta_scan('{path}') WHERE direction = 'in' AND action NOT IN ('block', 'drop') AND internal_port NOT IN (80, 443);",
    "SELECT client_ip, COUNT(*) AS event_count FROM delta_scan('{path}') WHERE direction = 'in' AND action NOT IN ('block', 'drop') AND internal_port NOT IN (80, 443) GROUP BY client_ip ORDER BY event_count DESC LIMIT 20;",
    "SELECT event_time, client_ip, internal_ip, internal_port, client_port, ROW_NUMBER() OVER (PARTITION BY internal_ip ORDER BY event_time DESC) AS row_num FROM delta_scan('{path}') WHERE action = 'block' AND internal_port = 443;",
    "SELECT client_ip, SUM(total_bytes) AS total_transfer FROM delta_scan('{path}') WHERE action NOT IN ('block', 'drop') AND direction = 'out' GROUP BY client_ip ORDER BY total_transfer DESC LIMIT 10;",
  ]

  static let s3AccessLogQuery =
    "SELECT dataset, count(*) FROM (SELECT regexp_extract(key, '^data/([^/]+)/.+', 1) AS dataset FROM t WHERE operation = 'REST.GET.OBJECT') GROUP BY dataset ORDER BY 2 DESC"

  @Test("seed queries parse and round-trip", arguments: seeds + [s3AccessLogQuery])
  func seedRoundTrips(sql: String) throws {
    try roundTrip(sql)
  }

  @Test func canonicalPrintsOfTheSeeds() throws {
    let expected = [
      "SELECT year, month, day, COUNT(*) AS event_count FROM delta_scan('{path}') GROUP BY year, month, day ORDER BY year DESC, month DESC, day DESC",
      "SELECT DISTINCT client_ip FROM delta_scan('{path}') WHERE direction = 'in' AND action NOT IN ('block', 'drop') AND internal_port NOT IN (80, 443)",
      "SELECT client_ip, COUNT(*) AS event_count FROM delta_scan('{path}') WHERE direction = 'in' AND action NOT IN ('block', 'drop') AND internal_port NOT IN (80, 443) GROUP BY client_ip ORDER BY event_count DESC LIMIT 20",
      "SELECT event_time, client_ip, internal_ip, internal_port, client_port, ROW_NUMBER() OVER (PARTITION BY internal_ip ORDER BY event_time DESC) AS row_num FROM delta_scan('{path}') WHERE action = 'block' AND internal_port = 443",
      "SELECT client_ip, SUM(total_bytes) AS total_transfer FROM delta_scan('{path}') WHERE action NOT IN ('block', 'drop') AND direction = 'out' GROUP BY client_ip ORDER BY total_transfer DESC LIMIT 10",
    ]
    for (seed, print) in zip(Self.seeds, expected) {
      #expect(try canonical(seed) == print)
    }
  }

  @Test func firstSeedTree() throws {
    guard case .query(let query) = try SQL.parse(Self.seeds[0]), case .select(let select) = query.body else {
      Issue.record("not a SELECT")
      return
    }
    // year, month and day are keywords elsewhere in SQL, but plain columns here.
    #expect(select.items.count == 4)
    #expect(select.items[0] == .expression(column("year"), alias: nil))
    #expect(select.items[1] == .expression(column("month"), alias: nil))
    #expect(select.items[2] == .expression(column("day"), alias: nil))
    guard case .expression(let count, let alias) = select.items[3], case .function(let call) = count.kind else {
      Issue.record("fourth item is not a call")
      return
    }
    #expect(call.name == QualifiedName("COUNT"))
    #expect(call.isStar && call.arguments.isEmpty)
    #expect(alias == Identifier("event_count"))

    guard case .function(let scan) = select.from.first else {
      Issue.record("FROM is not a table function")
      return
    }
    #expect(scan.name == QualifiedName("delta_scan"))
    #expect(scan.arguments == [FunctionArgument(string("{path}"))])
    #expect(select.groupBy == .expressions([column("year"), column("month"), column("day")]))
    #expect(query.orderBy.map(\.direction) == [.descending, .descending, .descending])
    #expect(query.orderBy.map(\.nulls) == [nil, nil, nil])
  }

  @Test func secondSeedFilterIsOneConjunction() throws {
    let select = try select(Self.seeds[1])
    #expect(select.isDistinct)
    guard case .and(let conjuncts) = select.whereClause?.kind else {
      Issue.record("WHERE is not a conjunction")
      return
    }
    #expect(conjuncts.count == 3)
    #expect(conjuncts[0] == Expression(.binary(.equal, column("direction"), string("in"))))
    #expect(conjuncts[1] == Expression(.inList(column("action"), [string("block"), string("drop")], negated: true)))
    #expect(conjuncts[2] == Expression(.inList(column("internal_port"), [integer(80), integer(443)], negated: true)))
  }

  @Test func fourthSeedWindow() throws {
    let select = try select(Self.seeds[3])
    guard case .expression(let rowNumber, let alias) = select.items[5], case .function(let call) = rowNumber.kind,
      case .specification(let window) = call.window
    else {
      Issue.record("sixth item is not a window call")
      return
    }
    #expect(alias == Identifier("row_num"))
    #expect(call.name == QualifiedName("ROW_NUMBER"))
    #expect(window.partitionBy == [column("internal_ip")])
    #expect(window.orderBy == [OrderByItem(column("event_time"), direction: .descending)])
    #expect(window.frame == nil)
  }

  @Test func s3AccessLogQueryTree() throws {
    let outer = try select(Self.s3AccessLogQuery)
    guard case .subquery(let derived) = outer.from.first, case .select(let inner) = derived.query.body else {
      Issue.record("FROM is not a subquery")
      return
    }
    #expect(derived.alias == nil)
    #expect(inner.whereClause == Expression(.binary(.equal, column("operation"), string("REST.GET.OBJECT"))))
    guard case .expression(let extract, let alias) = inner.items[0], case .function(let call) = extract.kind else {
      Issue.record("inner item is not a call")
      return
    }
    #expect(alias == Identifier("dataset"))
    #expect(call.arguments.map(\.value) == [column("key"), string("^data/([^/]+)/.+"), integer(1)])
    guard case .query(let query) = try SQL.parse(Self.s3AccessLogQuery) else { return }
    // ORDER BY 2 is an ordinal: an integer literal for the binder to resolve.
    #expect(query.orderBy == [OrderByItem(integer(2), direction: .descending)])
  }
}
