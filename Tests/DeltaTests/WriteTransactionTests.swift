import Columnar
import Delta
import Expr
import Foundation
import Testing

@Suite struct WriteTransactionTests {
  @Test func concurrentAppendersLoseNothing() throws {
    let path = WriteFixtures.temporaryTable()
    try TableWriter.createTable(path: path, schema: Schema([Field("writer", .int64), Field("n", .int64)]))
    let failures = LockedErrors()
    DispatchQueue.concurrentPerform(iterations: 4) { writer in
      for n in 0..<25 {
        do {
          let batch = try WriteFixtures.batch([
            ("writer", WriteFixtures.int64([Int64(writer)])), ("n", WriteFixtures.int64([Int64(n)])),
          ])
          try TableWriter.write(path: path, batches: [batch])
        } catch {
          failures.append("\(error)")
        }
      }
    }
    #expect(failures.all.isEmpty)
    let rows = try WriteFixtures.rows(path)
    #expect(rows.count == 100)
    #expect(Set(rows).count == 100)
    #expect(try DeltaTable.open(path: path).latestVersion() == 100)
    let commits = WriteFixtures.logFiles(path).filter { $0.hasSuffix(".json") }
    #expect(commits.count == 101)
    // Checkpoints every 10 commits.
    #expect(WriteFixtures.logFiles(path).contains("00000000000000000100.checkpoint.parquet"))
  }

  @Test func overwriteConflictsWithConcurrentAppend() throws {
    let path = WriteFixtures.temporaryTable()
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([1]))])])
    let stale = try DeltaTable.open(path: path).snapshot()
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([2]))])])
    var txn = DeltaTransaction(tablePath: path, snapshot: stale, operation: "DELETE")
    for file in stale.files { txn.add(.remove(RemoveFile(path: file.path, deletionTimestamp: 0))) }
    txn.readPredicate = .wholeTable
    #expect {
      try txn.commit()
    } throws: { error in
      (error as? DeltaError)?.code == .concurrentModification && "\(error)".contains("version 1")
    }
    // A blind append on the same stale snapshot commits after the winner.
    var append = DeltaTransaction(tablePath: path, snapshot: stale, operation: "WRITE")
    append.add(.transaction(Delta.Transaction(appId: "x", version: 1)))
    #expect(try append.commit() == 2)
  }

  @Test func metadataChangeConflicts() throws {
    let path = WriteFixtures.temporaryTable()
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([1]))])])
    let stale = try DeltaTable.open(path: path).snapshot()
    var evolve = WriteOptions()
    evolve.mergeSchema = true
    try TableWriter.write(
      path: path,
      batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([1])), ("extra", WriteFixtures.string(["e"]))])],
      options: evolve)
    var append = DeltaTransaction(tablePath: path, snapshot: stale, operation: "WRITE")
    append.add(.transaction(Delta.Transaction(appId: "y", version: 1)))
    #expect(throws: DeltaError.self) { try append.commit() }
  }

  @Test func checkpointReadsBack() throws {
    let path = WriteFixtures.temporaryTable()
    var options = WriteOptions()
    options.partitionBy = ["p"]
    for n in 0..<12 {
      let batch = try WriteFixtures.batch([
        ("id", WriteFixtures.int64([Int64(n)])), ("p", WriteFixtures.string([n % 3 == 0 ? nil : "p\(n % 3)"])),
      ])
      try TableWriter.write(path: path, batches: [batch], options: options)
    }
    try TableWriter.write(
      path: path,
      batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([100])), ("p", WriteFixtures.string(["p1"]))])],
      options: {
        var o = WriteOptions(mode: .overwrite)
        o.replaceWhere = .comparison(["p"], .equal, .string("p1"))
        return o
      }())
    #expect(WriteFixtures.logFiles(path).contains("00000000000000000010.checkpoint.parquet"))
    #expect(WriteFixtures.logFiles(path).contains("_last_checkpoint"))
    let snapshot = try DeltaTable.open(path: path).snapshot()
    #expect(snapshot.checkpointVersion == 10)
    #expect(snapshot.files.count == 9)
    let fromCheckpoint = try DeltaTable.open(path: path).snapshot(version: 10)
    #expect(fromCheckpoint.files.count == 11)
    #expect(fromCheckpoint.files.allSatisfy { $0.stats?.contains("numRecords") == true })
    #expect(try WriteFixtures.rows(path).count == 9)
  }
}

@Suite struct WriteSchemaTests {
  @Test func rejectsUnknownColumnsTypesAndCase() throws {
    let path = WriteFixtures.temporaryTable()
    try TableWriter.createTable(
      path: path, schema: Schema([Field("id", .int64, nullable: false), Field("name", .string)]))
    let extra = try WriteFixtures.batch([("id", WriteFixtures.int64([1])), ("other", WriteFixtures.string(["x"]))])
    #expect {
      try TableWriter.write(path: path, batches: [extra])
    } throws: { error in
      let text = "\(error)"
      return text.contains("'other'") && text.contains("table schema") && text.contains("data schema")
    }
    let wrongType = try WriteFixtures.batch([("id", WriteFixtures.string(["1"]))])
    #expect(throws: DeltaError.self) { try TableWriter.write(path: path, batches: [wrongType]) }
    let wrongCase = try WriteFixtures.batch([("ID", WriteFixtures.int64([1]))])
    #expect(throws: DeltaError.self) { try TableWriter.write(path: path, batches: [wrongCase]) }
    let nullInRequired = try WriteFixtures.batch([("id", WriteFixtures.int64([nil]))])
    #expect(throws: DeltaError.self) { try TableWriter.write(path: path, batches: [nullInRequired]) }
    // A missing nullable column becomes nulls.
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([7]))])])
    #expect(try WriteFixtures.rows(path) == [#"{"id":7,"name":null}"#])
    // Nothing but the one good commit was written.
    #expect(try DeltaTable.open(path: path).latestVersion() == 1)
    let parquet = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".parquet") }
    #expect(parquet.count == 1)
  }

  @Test func mergeSchemaAddsColumnsAndUpcasts() throws {
    let path = WriteFixtures.temporaryTable()
    try TableWriter.write(
      path: path,
      batches: [
        try WriteFixtures.batch([("id", WriteFixtures.int64([1])), ("v", WriteFixtures.float64([1.5]))])
      ])
    var options = WriteOptions()
    options.mergeSchema = true
    let evolved = try WriteFixtures.batch([
      ("id", WriteFixtures.int32([2])), ("tag", WriteFixtures.string(["new"])),
    ])
    try TableWriter.write(path: path, batches: [evolved], options: options)
    let snapshot = try DeltaTable.open(path: path).snapshot()
    #expect(snapshot.schema.fields.map(\.name) == ["id", "v", "tag"])
    #expect(snapshot.schema.fields[0].type == .int64)
    #expect(try WriteFixtures.rows(path) == [#"{"id":1,"v":1.5,"tag":null}"#, #"{"id":2,"v":null,"tag":"new"}"#])
    // Overwrite with a new schema.
    var overwrite = WriteOptions(mode: .overwrite)
    overwrite.overwriteSchema = true
    try TableWriter.write(
      path: path, batches: [try WriteFixtures.batch([("x", WriteFixtures.string(["only"]))])], options: overwrite)
    #expect(try WriteFixtures.rows(path) == [#"{"x":"only"}"#])
  }
}

final class LockedErrors: @unchecked Sendable {
  private let lock = NSLock()
  private var errors: [String] = []
  func append(_ error: String) { lock.withLock { errors.append(error) } }
  var all: [String] { lock.withLock { errors } }
}
