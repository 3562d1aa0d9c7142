import Columnar
import Exec
import Expr

/// The text of EXPLAIN and EXPLAIN ANALYZE: one line per operator, indented by depth, with
/// column numbers replaced by the input's column names.
enum Explain {
  static func render(_ root: PlanNode, analyzed: Bool) -> [String] {
    var lines: [String] = []
    walk(root, depth: 0, analyzed: analyzed, into: &lines)
    return lines
  }

  private static func walk(_ node: PlanNode, depth: Int, analyzed: Bool, into lines: inout [String]) {
    let indent = String(repeating: "  ", count: depth)
    var line = indent + label(node)
    if analyzed {
      let rows = node.metrics.rows.load(ordering: .relaxed)
      let millis = Double(node.metrics.nanoseconds.load(ordering: .relaxed)) / 1e6
      line += "  [rows=\(Format.count(rows)) time=\(Format.milliseconds(millis))]"
    }
    lines.append(line)
    if let s = node.scanReport(analyzed: analyzed) {
      lines.append(
        indent + "    files: \(s.files) in table, \(s.filesPrunedByPartition) pruned by partition, "
          + "\(s.filesSkippedByStatistics) skipped by statistics, \(s.filesRead) read")
      if analyzed {
        lines.append(
          indent + "    row groups: \(s.rowGroups - s.rowGroupsSkipped) read, \(s.rowGroupsSkipped) skipped by statistics; "
            + "rows read: \(Format.count(s.rowsRead)); bytes read: \(Format.bytes(s.bytesRead))")
        if s.rowsFiltered > 0 {
          lines.append(
            indent + "    filtered while reading: \(Format.count(s.rowsKept)) of \(Format.count(s.rowsFiltered)) rows kept; "
              + "the other columns decoded for those rows only")
        }
      }
    }
    for child in node.children { walk(child, depth: depth + 1, analyzed: analyzed, into: &lines) }
  }

  static func label(_ node: PlanNode) -> String {
    let input = node.children.first?.schema ?? Schema([])
    func text(_ e: PhysicalExpression, _ schema: Schema = input) -> String { named(e.description, schema) }
    switch node.op {
    case .scan(let source, let columns, let predicate):
      var s = "\(source.label) columns=[\(columns.joined(separator: ", "))]"
      if let predicate { s += " skipping on \(predicate)" }
      return s
    case .values(let batch): return "Values (\(batch.rowCount) row\(batch.rowCount == 1 ? "" : "s"))"
    case .filter(let e): return "Filter \(text(e))"
    case .project(let es):
      return "Project " + zip(es, node.schema.fields).map { e, f in
        let t = text(e)
        return t == f.name ? t : "\(t) AS \(f.name)"
      }.joined(separator: ", ")
    case .aggregate(let keys, let aggregates):
      if aggregates.isEmpty { return "Distinct " + keys.map { text($0) }.joined(separator: ", ") }
      let a = aggregates.map { spec in
        "\(spec.kind.rawValue)(\(spec.argument.map { text($0) } ?? "*"))" + (spec.filter.map { " FILTER (\(text($0)))" } ?? "")
      }
      return "HashAggregate" + (keys.isEmpty ? "" : " by \(keys.map { text($0) }.joined(separator: ", "))") + ": " + a.joined(separator: ", ")
    case .window(let functions):
      return "Window " + functions.map { f in
        var s = "\(f.kind.rawValue)(\(f.argument.map { text($0) } ?? ""))"
        if !f.partitionBy.isEmpty { s += " PARTITION BY \(f.partitionBy.map { text($0) }.joined(separator: ", "))" }
        if !f.orderBy.isEmpty { s += " ORDER BY \(keys(f.orderBy, input))" }
        return s
      }.joined(separator: "; ")
    case .sort(let sortKeys, let limit):
      if let limit { return "TopN \(limit) by \(keys(sortKeys, input))" }
      return "Sort by \(keys(sortKeys, input))"
    case .limit(let count, let offset):
      return "Limit \(count.map(String.init) ?? "ALL")" + (offset > 0 ? " OFFSET \(offset)" : "")
    case .hashJoin(let type, let l, let r):
      let right = node.children[1].schema
      let pairs = zip(l, r).map { "\(text($0)) = \(named($1.description, right))" }
      return "HashJoin \(type.rawValue.uppercased()) ON \(pairs.joined(separator: " AND "))"
    case .nestedLoopJoin(let type, let condition):
      let combined = Schema(node.children.flatMap { $0.schema.fields })
      return "NestedLoopJoin \(type.rawValue.uppercased())" + (condition.map { " ON \(named($0.description, combined))" } ?? " (cross)")
    case .unionAll: return "UnionAll"
    case .except: return "Except"
    case .intersect: return "Intersect"
    }
  }

  static func keys(_ keys: [SortKey], _ schema: Schema) -> String {
    keys.map { key in
      named(key.expression.description, schema) + (key.descending ? " DESC" : "") + (key.nullsFirst ? " NULLS FIRST" : "")
    }.joined(separator: ", ")
  }

  /// Replaces `#n` column references with the names of `schema`'s fields.
  static func named(_ text: String, _ schema: Schema) -> String {
    var out = ""
    var digits = ""
    var inReference = false
    func flush() {
      if inReference {
        if let index = Int(digits), index < schema.fields.count { out += schema.fields[index].name } else { out += "#" + digits }
      }
      inReference = false
      digits = ""
    }
    for c in text {
      if inReference, c.isASCII, c.isNumber {
        digits.append(c)
        continue
      }
      flush()
      if c == "#" { inReference = true } else { out.append(c) }
    }
    flush()
    return out
  }
}

/// Human-readable numbers for reports.
enum Format {
  static func count(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return n < 0 ? "-" + out : out
  }

  static func bytes(_ n: Int64) -> String {
    let units: [(Double, String)] = [(1_073_741_824, "GiB"), (1_048_576, "MiB"), (1024, "KiB")]
    for (size, name) in units where Double(n) >= size {
      return fixed(Double(n) / size, 1) + " " + name
    }
    return "\(n) B"
  }

  static func milliseconds(_ ms: Double) -> String {
    ms >= 1000 ? fixed(ms / 1000, 2) + " s" : fixed(ms, 1) + " ms"
  }

  /// `value` with `places` decimals, without Foundation.
  static func fixed(_ value: Double, _ places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled - Double(whole) * scale)
    var text = String(whole)
    if places > 0 {
      let f = String(fraction)
      text += "." + String(repeating: "0", count: places - f.count) + f
    }
    return value < 0 && scaled > 0 ? "-" + text : text
  }
}
