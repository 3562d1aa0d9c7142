import Columnar
import Engine
import Foundation
import SQLParser

/// The interactive shell of `avocet sql`: statements end with `;` and may span lines; lines
/// starting with `.` are shell commands.
struct SQLShell {
  let session: Session
  var format: SQLOutputFormat
  var timer = false
  var editor: LineEditor

  init(session: Session, format: SQLOutputFormat) {
    self.session = session
    self.format = format
    let home = ProcessInfo.processInfo.environment["HOME"]
    editor = LineEditor(historyFile: home.map { "\($0)/.avocet_history" })
  }

  mutating func run() {
    say("Avocet SQL shell. End statements with ';'. Type .help for commands, .quit to leave.\n")
    var pending = ""
    while let line = editor.readLine(prompt: pending.isEmpty ? "avocet> " : "   ...> ") {
      if editor.wasInterrupted {
        pending = ""
        continue
      }
      if line.isEmpty && pending.isEmpty { continue }
      if pending.isEmpty, line.trimmingCharacters(in: .whitespaces).hasPrefix(".") {
        editor.addHistory(line)
        guard command(line.trimmingCharacters(in: .whitespaces)) else { return }
        continue
      }
      pending += (pending.isEmpty ? "" : "\n") + line
      guard Self.isComplete(pending) else { continue }
      editor.addHistory(pending)
      execute(pending)
      pending = ""
    }
    say("\n")
  }

  /// Whether the text ends with a `;` outside quotes and comments.
  static func isComplete(_ text: String) -> Bool {
    var quote: Character? = nil
    var lastSignificant: Character? = nil
    var inLineComment = false
    var previous: Character? = nil
    for c in text {
      if inLineComment {
        if c == "\n" { inLineComment = false }
      } else if let q = quote {
        if c == q { quote = nil }
      } else if c == "'" || c == "\"" || c == "`" {
        quote = c
        lastSignificant = c
      } else if c == "-" && previous == "-" {
        inLineComment = true
        lastSignificant = nil
      } else if !c.isWhitespace {
        lastSignificant = c
      }
      previous = c
    }
    return quote == nil && lastSignificant == ";"
  }

  mutating func execute(_ sql: String) {
    do {
      var printer = try ResultPrinter(format: format, output: nil)
      try session.executeScript(sql) { (_, result) throws(EngineError) in
        do { try printer.print(result) } catch { throw EngineError(.execution, "\(error)") }
        if timer {
          let seconds = result.elapsed.seconds
          say("time: \(formatSeconds(seconds))\n")
        }
      }
      try printer.finish()
    } catch let error as EngineError {
      say("error: " + error.rendered(sql: sql) + "\n")
    } catch {
      say("error: \(error)\n")
    }
  }

  /// Runs a dot command; false to leave the shell.
  mutating func command(_ line: String) -> Bool {
    let words = line.split(separator: " ").map(String.init)
    switch words[0] {
    case ".quit", ".exit", ".q":
      return false
    case ".help":
      say(
        """
        .tables                 registered tables and views
        .schema NAME            the columns of a table or view
        .open NAME PATH         register a Delta table (or Parquet file/glob) as NAME
        .timer on|off           print each statement's time
        .mode table|csv|jsonl   output format
        .quit                   leave (or Ctrl-D)
        SQL statements end with ';' and may span lines.

        """)
    case ".tables":
      let names = session.tableNames
      say(names.isEmpty ? "(no tables: use .open NAME PATH or --table name=path)\n" : names.joined(separator: "\n") + "\n")
    case ".schema":
      guard words.count == 2 else {
        say("usage: .schema NAME\n")
        break
      }
      execute("DESCRIBE \(words[1]);")
    case ".open":
      guard words.count == 3 else {
        say("usage: .open NAME PATH\n")
        break
      }
      do { try session.register(words[1], path: words[2]) } catch { say("error: \(error.message)\n") }
    case ".timer":
      timer = words.count > 1 && words[1] == "on"
    case ".mode":
      if words.count == 2, let mode = SQLOutputFormat(rawValue: words[1]), mode != .parquet {
        format = mode
      } else {
        say("usage: .mode table|csv|jsonl\n")
      }
    default:
      say("unknown command \(words[0]); try .help\n")
    }
    return true
  }

  func say(_ text: String) {
    var out = StandardOutput()
    out.write(text)
    out.flush()
  }
}
