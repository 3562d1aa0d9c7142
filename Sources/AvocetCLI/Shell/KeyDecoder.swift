/// One editing key, as decoded from the bytes a terminal sends in raw mode.
///
/// Keys are named after what they do, so the several sequences terminals send for one key
/// (Home is `ESC [ H`, `ESC [ 1 ~`, `ESC O H`, `ESC [ 7 ~` or Ctrl-A) decode to one case.
enum Key: Hashable, Sendable {
  /// Printable text: one character (a multi-byte UTF-8 sequence decodes to one scalar).
  case insert(Character)
  case left, right, home, end
  /// Ctrl-Left / Ctrl-Right (`ESC [ 1 ; 5 D` / `C`), Alt-B / Alt-F.
  case wordLeft, wordRight
  /// History: previous and next entry.
  case up, down
  /// 0x7f or 0x08: delete before the cursor.
  case backspace
  /// `ESC [ 3 ~`: delete under the cursor.
  case delete
  /// Ctrl-D: delete under the cursor, or end of input on an empty line.
  case deleteOrEndOfInput
  /// Ctrl-K, Ctrl-U, Ctrl-W: kill to the end, to the start, the previous word.
  case killToEnd, killToStart, killWordBackward
  /// Ctrl-Y: insert the text last killed.
  case yank
  /// Tab (no completion: it inserts spaces).
  case tab
  /// Ctrl-L.
  case clearScreen
  /// Ctrl-C.
  case interrupt
  /// Ctrl-Z (raw mode turns off `ISIG`, so the editor suspends the process itself).
  case suspend
  /// CR or LF.
  case enter
}

/// Decodes keys from terminal input fed one byte at a time, so an escape sequence or a UTF-8
/// character split across reads decodes the same as one read whole.
///
/// Bytes that make no key (an unknown escape sequence, invalid UTF-8, an unbound control
/// character) are dropped. A lone ESC stays pending until the next byte; the editor calls
/// ``reset()`` when no byte follows it promptly.
struct KeyDecoder: Sendable {
  private enum State: Sendable {
    case ground
    /// After ESC.
    case escape
    /// After `ESC [`: parameter and intermediate bytes so far.
    case controlSequence([UInt8])
    /// Inside a control sequence too long to keep: dropped up to its final byte.
    case overlongSequence
    /// After `ESC O`.
    case singleShift
    /// Inside a UTF-8 sequence: the bytes so far and how many continuation bytes remain.
    case utf8([UInt8], remaining: Int)
  }

  private var state = State.ground
  /// Whether the last key was a CR, so a following LF (CR LF line ends) is not a second Enter.
  private var afterCarriageReturn = false
  /// Longest control sequence kept; a longer one is dropped whole.
  static let maxSequenceLength = 16

  init() {}

  /// Whether bytes of an incomplete key are pending.
  var isPending: Bool {
    if case .ground = state { return false }
    return true
  }

  /// Drops any incomplete key (a lone ESC).
  mutating func reset() {
    state = .ground
  }

  /// Feeds one byte; returns the key it completes, or nil if the key is incomplete or the bytes
  /// make none.
  mutating func feed(_ byte: UInt8) -> Key? {
    let wasAfterCarriageReturn = afterCarriageReturn
    afterCarriageReturn = false
    switch state {
    case .ground:
      if byte == 0x0A && wasAfterCarriageReturn { return nil }
      return ground(byte)
    case .escape:
      switch byte {
      case UInt8(ascii: "["):
        state = .controlSequence([])
        return nil
      case UInt8(ascii: "O"):
        state = .singleShift
        return nil
      case UInt8(ascii: "b"):
        state = .ground
        return .wordLeft
      case UInt8(ascii: "f"):
        state = .ground
        return .wordRight
      case 0x1B:
        return nil
      default:
        // ESC before an unbound byte (Alt-x): drop the ESC, decode the byte alone.
        state = .ground
        return ground(byte)
      }
    case .singleShift:
      state = .ground
      switch byte {
      case UInt8(ascii: "A"): return .up
      case UInt8(ascii: "B"): return .down
      case UInt8(ascii: "C"): return .right
      case UInt8(ascii: "D"): return .left
      case UInt8(ascii: "H"): return .home
      case UInt8(ascii: "F"): return .end
      default: return nil
      }
    case .controlSequence(var bytes):
      if (0x20...0x3F).contains(byte) {
        guard bytes.count < Self.maxSequenceLength else {
          state = .overlongSequence
          return nil
        }
        bytes.append(byte)
        state = .controlSequence(bytes)
        return nil
      }
      state = .ground
      guard (0x40...0x7E).contains(byte) else { return ground(byte) }
      return Self.controlSequenceKey(parameters: bytes, final: byte)
    case .overlongSequence:
      if (0x20...0x3F).contains(byte) { return nil }
      state = .ground
      return (0x40...0x7E).contains(byte) ? nil : ground(byte)
    case .utf8(var bytes, let remaining):
      guard byte & 0xC0 == 0x80 else {
        // Not a continuation byte: the partial character is invalid, the byte starts anew.
        state = .ground
        return ground(byte)
      }
      bytes.append(byte)
      guard remaining == 1 else {
        state = .utf8(bytes, remaining: remaining - 1)
        return nil
      }
      state = .ground
      guard let text = String(validating: bytes, as: UTF8.self), let scalar = text.unicodeScalars.first,
        !(0x80...0x9F).contains(scalar.value)
      else { return nil }
      return .insert(Character(scalar))
    }
  }

  /// Decodes a byte outside any sequence.
  private mutating func ground(_ byte: UInt8) -> Key? {
    switch byte {
    case 0x01: return .home
    case 0x02: return .left
    case 0x03: return .interrupt
    case 0x04: return .deleteOrEndOfInput
    case 0x05: return .end
    case 0x06: return .right
    case 0x08, 0x7F: return .backspace
    case 0x09: return .tab
    case 0x0A: return .enter
    case 0x0B: return .killToEnd
    case 0x0C: return .clearScreen
    case 0x0D:
      afterCarriageReturn = true
      return .enter
    case 0x0E: return .down
    case 0x10: return .up
    case 0x15: return .killToStart
    case 0x17: return .killWordBackward
    case 0x19: return .yank
    case 0x1A: return .suspend
    case 0x1B:
      state = .escape
      return nil
    case 0x20...0x7E: return .insert(Character(Unicode.Scalar(byte)))
    case 0xC2...0xDF:
      state = .utf8([byte], remaining: 1)
      return nil
    case 0xE0...0xEF:
      state = .utf8([byte], remaining: 2)
      return nil
    case 0xF0...0xF4:
      state = .utf8([byte], remaining: 3)
      return nil
    default:
      // Other control characters, stray continuation bytes, bytes UTF-8 never uses.
      return nil
    }
  }

  /// The key for `ESC [ parameters final`.
  private static func controlSequenceKey(parameters: [UInt8], final: UInt8) -> Key? {
    let fields = parameters.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false).map {
      field in field.reduce(0) { value, digit in min(value * 10 + Int(digit &- 0x30), 1 << 20) }
    }
    // A modifier parameter (`1;5D`): 5 is Ctrl, 3 is Alt.
    let modifier = fields.count > 1 ? fields[1] : 1
    let byWord = modifier == 5 || modifier == 3
    switch final {
    case UInt8(ascii: "A"): return .up
    case UInt8(ascii: "B"): return .down
    case UInt8(ascii: "C"): return byWord ? .wordRight : .right
    case UInt8(ascii: "D"): return byWord ? .wordLeft : .left
    case UInt8(ascii: "H"): return .home
    case UInt8(ascii: "F"): return .end
    case UInt8(ascii: "~"):
      switch fields.first ?? 0 {
      case 1, 7: return .home
      case 3: return .delete
      case 4, 8: return .end
      default: return nil
      }
    default: return nil
    }
  }
}
