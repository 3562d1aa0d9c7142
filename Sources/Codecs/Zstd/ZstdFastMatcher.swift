extension ZstdMatcher {
  /// Greedy matching with one hash table; skips faster through data that does not match.
  func compressFast(_ start: Int, _ end: Int, _ store: ZstdSequenceStore) {
    let mls = params.minMatch
    let log = hashLog
    let table = hashTable
    let skip = params.skipStrength
    var reps = self.reps
    var anchor = start
    var ip = max(start, 1)
    let ilimit = end - 16
    while ip < ilimit {
      let h = hash(ip, mls, log)
      let candidate = Int(table[h])
      table[h] = UInt32(truncatingIfNeeded: ip)
      var matchStart: Int
      var length: Int
      var offset: Int
      let repPos = ip + 1 - reps.rep0
      if repPos >= 0 && read32(repPos) == read32(ip + 1) {
        matchStart = ip + 1
        offset = reps.rep0
        length = 4 + matchLength(ip + 5, repPos + 4, end)
      } else if candidate < ip && ip - candidate <= maxDistance && read32(candidate) == read32(ip) {
        matchStart = ip
        var c = candidate
        length = 4 + matchLength(ip + 4, candidate + 4, end)
        while matchStart > anchor && c > 0 && src[matchStart - 1] == src[c - 1] {
          matchStart -= 1
          c -= 1
          length += 1
        }
        offset = matchStart - c
      } else {
        ip += 1 + ((ip - anchor) >> skip)
        continue
      }
      let literalLength = matchStart - anchor
      store.add(
        literals: src + anchor, literalLength: literalLength,
        offBase: reps.code(offset: offset, literalLength: literalLength), matchLength: length)
      ip = matchStart + length
      anchor = ip
      guard ip < ilimit else { break }
      table[hash(matchStart + 2, mls, log)] = UInt32(truncatingIfNeeded: matchStart + 2)
      table[hash(ip - 2, mls, log)] = UInt32(truncatingIfNeeded: ip - 2)
      // The previous offset often matches again right away (e.g. columns of fixed width).
      while ip < ilimit {
        let r = ip - reps.rep1
        guard r >= 0, read32(r) == read32(ip) else { break }
        let len = 4 + matchLength(ip + 4, r + 4, end)
        store.add(
          literals: src + anchor, literalLength: 0, offBase: reps.code(offset: reps.rep1, literalLength: 0),
          matchLength: len)
        table[hash(ip, mls, log)] = UInt32(truncatingIfNeeded: ip)
        ip += len
        anchor = ip
      }
    }
    store.addLiterals(src + anchor, end - anchor)
    self.reps = reps
  }

  /// Greedy matching that prefers 8-byte (long) matches and falls back to short ones.
  func compressDoubleFast(_ start: Int, _ end: Int, _ store: ZstdSequenceStore) {
    let mls = params.minMatch
    let shortLog = hashLog
    let longLog = secondaryLog
    let shortTable = hashTable
    let longTable = secondary
    let skip = params.skipStrength
    var reps = self.reps
    var anchor = start
    var ip = max(start, 1)
    let ilimit = end - 16
    while ip < ilimit {
      let hl = hash(ip, 8, longLog)
      let hs = hash(ip, mls, shortLog)
      let candLong = Int(longTable[hl])
      let candShort = Int(shortTable[hs])
      longTable[hl] = UInt32(truncatingIfNeeded: ip)
      shortTable[hs] = UInt32(truncatingIfNeeded: ip)
      var matchStart: Int
      var length: Int
      var offset: Int
      let repPos = ip + 1 - reps.rep0
      if repPos >= 0 && read32(repPos) == read32(ip + 1) {
        matchStart = ip + 1
        offset = reps.rep0
        length = 4 + matchLength(ip + 5, repPos + 4, end)
      } else {
        var candidate: Int
        if candLong < ip && ip - candLong <= maxDistance && read64(candLong) == read64(ip) {
          matchStart = ip
          candidate = candLong
          length = 8 + matchLength(ip + 8, candLong + 8, end)
        } else if candShort < ip && ip - candShort <= maxDistance && read32(candShort) == read32(ip) {
          // A long match one byte later beats this short one.
          let hl1 = hash(ip + 1, 8, longLog)
          let candLong1 = Int(longTable[hl1])
          longTable[hl1] = UInt32(truncatingIfNeeded: ip + 1)
          if candLong1 < ip + 1 && ip + 1 - candLong1 <= maxDistance && read64(candLong1) == read64(ip + 1) {
            matchStart = ip + 1
            candidate = candLong1
            length = 8 + matchLength(ip + 9, candLong1 + 8, end)
          } else {
            matchStart = ip
            candidate = candShort
            length = 4 + matchLength(ip + 4, candShort + 4, end)
          }
        } else {
          ip += 1 + ((ip - anchor) >> skip)
          continue
        }
        while matchStart > anchor && candidate > 0 && src[matchStart - 1] == src[candidate - 1] {
          matchStart -= 1
          candidate -= 1
          length += 1
        }
        offset = matchStart - candidate
      }
      let literalLength = matchStart - anchor
      store.add(
        literals: src + anchor, literalLength: literalLength,
        offBase: reps.code(offset: offset, literalLength: literalLength), matchLength: length)
      ip = matchStart + length
      anchor = ip
      guard ip < ilimit else { break }
      let p = matchStart + 2
      longTable[hash(p, 8, longLog)] = UInt32(truncatingIfNeeded: p)
      shortTable[hash(p, mls, shortLog)] = UInt32(truncatingIfNeeded: p)
      longTable[hash(ip - 2, 8, longLog)] = UInt32(truncatingIfNeeded: ip - 2)
      shortTable[hash(ip - 1, mls, shortLog)] = UInt32(truncatingIfNeeded: ip - 1)
      while ip < ilimit {
        let r = ip - reps.rep1
        guard r >= 0, read32(r) == read32(ip) else { break }
        let len = 4 + matchLength(ip + 4, r + 4, end)
        store.add(
          literals: src + anchor, literalLength: 0, offBase: reps.code(offset: reps.rep1, literalLength: 0),
          matchLength: len)
        shortTable[hash(ip, mls, shortLog)] = UInt32(truncatingIfNeeded: ip)
        longTable[hash(ip, 8, longLog)] = UInt32(truncatingIfNeeded: ip)
        ip += len
        anchor = ip
      }
    }
    store.addLiterals(src + anchor, end - anchor)
    self.reps = reps
  }
}
