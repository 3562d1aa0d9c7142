import Foundation
import Testing

/// `avocet ingest` as users run it, including being killed.
@Suite struct IngestCLITests {
  /// JSON lines with ids 0..<count; every 97th line is malformed.
  static func writeInput(_ path: String, from: Int = 0, count: Int) throws {
    var text = ""
    text.reserveCapacity(count * 80)
    for id in from..<(from + count) {
      if id % 97 == 0 {
        text += "{\"id\": \(id), broken\n"
      } else {
        text += "{\"id\":\(id),\"ts\":\"2024-05-0\(1 + id % 3)T12:00:00Z\",\"host\":\"h\(id % 7)\",\"bytes\":\(id * 3)}\n"
      }
    }
    if FileManager.default.fileExists(atPath: path) {
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
      try handle.seekToEnd()
      try handle.write(contentsOf: Data(text.utf8))
      try handle.close()
    } else {
      try text.write(toFile: path, atomically: false, encoding: .utf8)
    }
  }

  /// The values of `column` in every row of a table.
  static func values(_ table: String, _ column: String) throws -> [String] {
    let result = try CLITests.avocet("cat", table, "--columns", column, "--format", "csv")
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout.split(separator: "\n").dropFirst().map(String.init)
  }

  static func expectExactlyOnce(_ dir: String, ids: Range<Int>) throws {
    let written = try values(dir + "/events", "id").compactMap { Int($0) }
    let expected = ids.filter { $0 % 97 != 0 }
    #expect(written.count == expected.count, "rows written: \(written.count), expected \(expected.count)")
    #expect(Set(written) == Set(expected))
    let letters = try values(dir + "/events_dead_letters", "raw")
    let broken = ids.filter { $0 % 97 == 0 }
    #expect(letters.count == broken.count, "dead letters: \(letters.count), expected \(broken.count)")
    if let rows = try WriteCLITests.deltaRSRowCount(dir + "/events") { #expect(rows == expected.count) }
  }

  @Test func ingestsFilesWithTypesPartitionsAndDeadLetters() throws {
    let dir = WriteCLITests.folder("ingest")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.writeInput(dir + "/in.jsonl", count: 300)
    let result = try CLITests.avocet(
      ["ingest", "file", "--format", "jsonl", "--time-field", "ts", "--table", dir + "/events", dir + "/in.jsonl"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("wrote 296"), "\(result.stdout)")
    #expect(result.stdout.contains("dead letters 4"), "\(result.stdout)")
    let describe = try CLITests.avocet("describe", dir + "/events")
    #expect(describe.stdout.contains("year"), "\(describe.stdout)")
    #expect(try Self.values(dir + "/events", "day").sorted().first == "1")
    try Self.expectExactlyOnce(dir, ids: 0..<300)
    let again = try CLITests.avocet(["ingest", "file", "--format", "jsonl", "--table", dir + "/events", dir + "/in.jsonl"])
    #expect(again.status == 0)
    try Self.expectExactlyOnce(dir, ids: 0..<300)
  }

  @Test func standardInputIsIngestedUntilItEnds() throws {
    let dir = WriteCLITests.folder("ingest-stdin")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.writeInput(dir + "/in.jsonl", count: 200)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLITests.binary)
    process.arguments = ["ingest", "stdin", "--format", "jsonl", "--time-field", "ts", "--table", dir + "/events"]
    process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: dir + "/in.jsonl"))
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    try Self.expectExactlyOnce(dir, ids: 0..<200)
  }

  @Test func badFlagsAreClearErrors() throws {
    let dir = WriteCLITests.folder("ingest-flags")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let format = try CLITests.avocet(["ingest", "file", "--format", "syslog", "--table", dir + "/t", dir])
    #expect(format.status != 0)
    #expect(format.stderr.contains("unknown --format 'syslog'"), "\(format.stderr)")
    let latency = try CLITests.avocet(["ingest", "file", "--format", "jsonl", "--max-latency", "soon", "--table", dir + "/t", dir])
    #expect(latency.stderr.contains("--max-latency"), "\(latency.stderr)")
    let missing = try CLITests.avocet(["ingest", "file", "--format", "jsonl", "--table", dir + "/t", dir + "/none.log"])
    #expect(missing.status != 0)
    #expect(missing.stderr.contains("none.log: no such file"), "\(missing.stderr)")
  }

  @Test func killedAtRandomMomentsEveryRecordLandsExactlyOnce() throws {
    let dir = WriteCLITests.folder("ingest-kill")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let total = 120_000
    try Self.writeInput(dir + "/in.jsonl", count: total)
    var generator = SystemRandomNumberGenerator()
    var finished = false
    var kills = 0
    for _ in 0..<25 where !finished {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: CLITests.binary)
      process.arguments = [
        "ingest", "file", "--format", "jsonl", "--time-field", "ts", "--max-rows", "7000", "--table", dir + "/events",
        dir + "/in.jsonl",
      ]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      let delay = Double.random(in: 0.05...0.8, using: &generator)
      Thread.sleep(forTimeInterval: delay)
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        kills += 1
      }
      process.waitUntilExit()
      finished = process.terminationReason == .exit && process.terminationStatus == 0
    }
    if !finished {
      let last = try CLITests.avocet(["ingest", "file", "--format", "jsonl", "--table", dir + "/events", dir + "/in.jsonl"])
      #expect(last.status == 0, "\(last.stderr)")
    }
    #expect(kills > 0)
    try Self.expectExactlyOnce(dir, ids: 0..<total)
  }

  /// SIGTERM, then SIGKILL if the process has not exited cleanly within 30 s (so a hang fails the test, not CI).
  static func stop(_ process: Process) -> Bool {
    process.terminate()
    let deadline = Date().addingTimeInterval(30)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      return false
    }
    return process.terminationReason == .exit && process.terminationStatus == 0
  }

  @Test func followingFlushesOnSIGTERMAndResumes() throws {
    let dir = WriteCLITests.folder("ingest-follow")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.writeInput(dir + "/in.jsonl", count: 1000)
    func start() throws -> Process {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: CLITests.binary)
      process.arguments = [
        "ingest", "file", "--follow", "--poll-interval", "0.05", "--max-latency", "1h", "--format", "jsonl",
        "--table", dir + "/events", dir + "/*.jsonl",
      ]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      return process
    }
    let first = try start()
    Thread.sleep(forTimeInterval: 1.0)
    try Self.writeInput(dir + "/in.jsonl", from: 1000, count: 500)
    try Self.writeInput(dir + "/more.jsonl", from: 1500, count: 500)
    Thread.sleep(forTimeInterval: 1.0)
    #expect(Self.stop(first))
    try Self.expectExactlyOnce(dir, ids: 0..<2000)
    try Self.writeInput(dir + "/more.jsonl", from: 2000, count: 500)
    let second = try start()
    Thread.sleep(forTimeInterval: 1.5)
    #expect(Self.stop(second))
    try Self.expectExactlyOnce(dir, ids: 0..<2500)
  }
}

/// Each format end to end through the binary, read back by Avocet and delta-rs.
@Suite struct IngestFormatsCLITests {
  static let osquery = """
    {"name":"processes","hostIdentifier":"host-01","calendarTime":"Tue Sep 30 17:37:30 2014 UTC","unixTime":1412123850,"epoch":0,"counter":1,"numerics":false,"decorations":{"host_uuid":"4C4C4544-0042"},"columns":{"name":"osqueryd","path":"/opt/osquery/bin/osqueryd","pid":"97830"},"action":"added"}
    {"diffResults":{"added":[{"pid":"97830"}],"removed":[{"pid":"97650"}]},"name":"processes","hostIdentifier":"host-01","calendarTime":"Tue Sep 30 17:37:30 2014 UTC","unixTime":1412123850,"epoch":0,"counter":2,"numerics":false}
    {"snapshot":[{"parent":"0","path":"/sbin/launchd","pid":"1"}],"action":"snapshot","name":"process_snapshot","hostIdentifier":"host-01","calendarTime":"Mon May  2 22:27:32 2016 UTC","unixTime":1462228052,"epoch":0,"counter":1,"numerics":false}
    {"hostIdentifier":"host-01","calendarTime":"Mon May  2 22:27:32 2016 UTC","unixTime":"1462228052","severity":0,"filename":"scheduler.cpp","line":83,"message":"Executing scheduled query processes","version":"5.12.1"}
    {"name":"processes", "broken
    {"name":"processes","hostIdentifier":"host-02","unixTime":1412123851,"epoch":0,"counter":3,"columns":{"name":"bash","path":"/bin/bash","pid":"4242","nice":"-5"},"action":"added"}

    """

  static let zeek = """
    #separator \\x09
    #set_separator\t,
    #empty_field\t(empty)
    #unset_field\t-
    #path\tconn
    #open\t2020-06-05-14-48-32
    #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\ttunnel_parents
    #types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tset[string]
    1591367999.430166\tCLqEx41jYPOdfHF586\t192.168.4.76\t46378\t31.3.245.133\t80\ttcp\thttp\t0.254115\t77\t295\tSF\tT\t(empty)
    1591368000.100000\tC2\t192.168.4.77\t53000\t8.8.8.8\t53\tudp\tdns\t-\t-\t-\tS0\tF\tCa,Cb
    1591368001.5\tC3\tnot enough fields
    #close\t2020-06-05-15-00-00

    """

  @Test func osqueryResultsGoToOneTablePerQuery() throws {
    let dir = WriteCLITests.folder("ingest-osquery")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.osquery.write(toFile: dir + "/osqueryd.results.log", atomically: false, encoding: .utf8)
    let result = try CLITests.avocet(["ingest", "file", "--format", "osquery", "--table", dir + "/osquery", dir + "/osqueryd.results.log"])
    #expect(result.status == 0, "\(result.stderr)")
    let processes = try CLITests.avocet(
      ["cat", dir + "/osquery/processes", "--columns", "host_identifier,action,counter,pid,name,nice,decorations"])
    let lines = processes.stdout.split(separator: "\n").sorted()
    #expect(
      lines == [
        #"{"host_identifier":"host-01","action":"added","counter":1,"pid":97830,"name":"osqueryd","nice":null,"decorations":[["host_uuid","4C4C4544-0042"]]}"#,
        #"{"host_identifier":"host-01","action":"added","counter":2,"pid":97830,"name":null,"nice":null,"decorations":null}"#,
        #"{"host_identifier":"host-01","action":"removed","counter":2,"pid":97650,"name":null,"nice":null,"decorations":null}"#,
        #"{"host_identifier":"host-02","action":"added","counter":3,"pid":4242,"name":"bash","nice":-5,"decorations":null}"#,
      ], "\(processes.stdout)\(processes.stderr)")
    let snapshot = try CLITests.avocet(["cat", dir + "/osquery/process_snapshot", "--columns", "action,path,event_time"])
    #expect(snapshot.stdout == #"{"action":"snapshot","path":"/sbin/launchd","event_time":"2016-05-02T22:27:32.000000Z"}"# + "\n")
    let status = try CLITests.avocet(["cat", dir + "/osquery/osquery_status", "--columns", "severity,line,message"])
    #expect(status.stdout == #"{"severity":0,"line":83,"message":"Executing scheduled query processes"}"# + "\n")
    let letters = try CLITests.avocet(["cat", dir + "/osquery_dead_letters", "--columns", "position,raw"])
    #expect(letters.stdout.contains(#""raw":"{\"name\":\"processes\", \"broken""#), "\(letters.stdout)")
    for table in ["processes", "process_snapshot", "osquery_status"] {
      let rows = try WriteCLITests.deltaRSRowCount(dir + "/osquery/" + table)
      #expect(rows == nil || rows == ["processes": 4, "process_snapshot": 1, "osquery_status": 1][table])
    }
  }

  @Test func zeekLogsAreTypedByTheirHeader() throws {
    let dir = WriteCLITests.folder("ingest-zeek")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.zeek.write(toFile: dir + "/conn.log", atomically: false, encoding: .utf8)
    let result = try CLITests.avocet(["ingest", "file", "--format", "zeek", "--table", dir + "/conn", dir + "/conn.log"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("wrote 2, dead letters 1"), "\(result.stdout)")
    let describe = try CLITests.avocet("describe", dir + "/conn", "--json")
    for column in [
      #"{"name":"ts","type":"timestamp""#, #"{"name":"id.orig_p","type":"long""#, #"{"name":"duration","type":"double""#,
      #"{"name":"local_orig","type":"boolean""#, #""elementType":"string""#,
    ] {
      #expect(describe.stdout.contains(column), "\(column) in \(describe.stdout)")
    }
    let rows = try CLITests.avocet(["cat", dir + "/conn", "--columns", "uid,ts,orig_bytes,tunnel_parents,day"])
    #expect(
      rows.stdout.split(separator: "\n").sorted() == [
        #"{"uid":"C2","ts":"2020-06-05T14:40:00.100000Z","orig_bytes":null,"tunnel_parents":["Ca","Cb"],"day":5}"#,
        #"{"uid":"CLqEx41jYPOdfHF586","ts":"2020-06-05T14:39:59.430166Z","orig_bytes":77,"tunnel_parents":[],"day":5}"#,
      ], "\(rows.stdout)\(rows.stderr)")
    if let count = try WriteCLITests.deltaRSRowCount(dir + "/conn") { #expect(count == 2) }
  }

  @Test func cloudAndAccessLogsAreReadByDeltaRS() throws {
    let dir = WriteCLITests.folder("ingest-cloud")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let vpc = """
      version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
      2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK
      2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA

      """
    let trail = """
      {"Records":[{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/Mary"},
      "eventTime":"2023-07-19T21:44:40Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin",
      "awsRegion":"us-east-1","sourceIPAddress":"192.0.2.10","responseElements":{"ConsoleLogin":"Success"},
      "readOnly":false},
      {"eventVersion":"1.08","userIdentity":{"type":"AWSService","invokedBy":"ec2.amazonaws.com"},
      "eventTime":"2023-07-19T22:01:05Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole",
      "requestParameters":{"roleArn":"arn:aws:iam::111122223333:role/AppRole"},"readOnly":true}]}
      """
    try vpc.write(toFile: dir + "/flows.log", atomically: false, encoding: .utf8)
    try trail.write(toFile: dir + "/trail.json", atomically: false, encoding: .utf8)
    try (IngestS3CLITests.lines(0..<3)).write(toFile: dir + "/access.log", atomically: false, encoding: .utf8)
    for (format, file, table, rows) in [
      ("vpcflow", "flows.log", "flows", 2), ("cloudtrail", "trail.json", "trail", 2), ("s3access", "access.log", "access", 3),
    ] {
      let result = try CLITests.avocet(["ingest", "file", "--format", format, "--table", dir + "/" + table, dir + "/" + file])
      #expect(result.status == 0, "\(format): \(result.stderr)")
      #expect(result.stdout.contains("wrote \(rows), dead letters 0"), "\(format): \(result.stdout)")
      if let count = try WriteCLITests.deltaRSRowCount(dir + "/" + table) { #expect(count == rows, "\(format)") }
    }
    let events = try CLITests.avocet(["cat", dir + "/trail", "--columns", "event_name,user_identity_type,read_only"])
    #expect(
      events.stdout.split(separator: "\n").sorted() == [
        #"{"event_name":"AssumeRole","user_identity_type":"AWSService","read_only":true}"#,
        #"{"event_name":"ConsoleLogin","user_identity_type":"IAMUser","read_only":false}"#,
      ], "\(events.stdout)\(events.stderr)")
  }
}
