extension ZstdMatcher {
  /// Adds positions `nextToUpdate..<target` to the hash chains.
  @inline(__always)
  private func insert(upTo target: Int) {
    let mls = params.minMatch
    let mask = (1 << secondaryLog) - 1
    var p = nextToUpdate
    while p < target {
      let h = hash(p, mls, hashLog)
      secondary[p & mask] = hashTable[h]
      hashTable[h] = UInt32(truncatingIfNeeded: p)
      p += 1
    }
    if target > nextToUpdate { nextToUpdate = target }
  }

  /// Longest match for `ip` along its hash chain (length 0 when none of at least 4 bytes).
  @inline(__always)
  private func search(_ ip: Int, _ end: Int) -> (length: Int, offset: Int) {
    insert(upTo: ip + 1)
    let mask = (1 << secondaryLog) - 1
    let chainLow = max(0, ip - mask)
    let low = max(chainLow, ip - maxDistance)
    var candidate = Int(secondary[ip & mask])
    var best = 3
    var bestOffset = 0
    var attempts = params.searchDepth
    let room = end - ip
    while attempts > 0 && candidate >= low && candidate < ip {
      // Cheap reject: the byte that would make this match longer than the best must agree.
      if src[candidate + best] == src[ip + best] && read32(candidate) == read32(ip) {
        let length = 4 + matchLength(ip + 4, candidate + 4, end)
        if length > best {
          best = length
          bestOffset = ip - candidate
          if length >= room - 1 { break }
        }
      }
      let next = Int(secondary[candidate & mask])
      if next >= candidate { break }
      candidate = next
      attempts -= 1
    }
    return bestOffset == 0 ? (0, 0) : (best, bestOffset)
  }

  @inline(__always)
  private func repeatLength(_ ip: Int, _ offset: Int, _ end: Int) -> Int {
    let r = ip - offset
    guard r >= 0, read32(r) == read32(ip) else { return 0 }
    return 4 + matchLength(ip + 4, r + 4, end)
  }

  /// Hash-chain search with lazy evaluation: a match is kept only if the next position(s) do not
  /// offer a better one (gain weighs length against the cost of coding the offset).
  func compressLazy(_ start: Int, _ end: Int, _ store: ZstdSequenceStore) {
    let skip = params.skipStrength
    var reps = self.reps
    var anchor = start
    var ip = max(start, 1)
    let ilimit = end - 16
    if nextToUpdate < start - maxDistance { nextToUpdate = start - maxDistance }
    while ip < ilimit {
      var length = 0
      var offset = 0
      let rep = repeatLength(ip, reps.rep0, end)
      let found = search(ip, end)
      if rep >= 4 && rep * 4 + 4 >= found.length * 4 - zstdHighBit32(UInt32(found.offset + 3)) + 1 {
        length = rep
        offset = reps.rep0
      } else if found.length >= 4 {
        length = found.length
        offset = found.offset
      } else {
        ip += 1 + ((ip - anchor) >> skip)
        continue
      }
      var matchStart = ip
      var depth = 0
      while depth < params.lazyDepth && matchStart + 1 < ilimit {
        let p = matchStart + 1
        let currentGain = length * 4 - zstdHighBit32(UInt32(offset + 3)) + (depth == 0 ? 4 : 7)
        let rep2 = repeatLength(p, reps.rep0, end)
        let next = search(p, end)
        let repGain = rep2 * 4 - 0
        let nextGain = next.length >= 4 ? next.length * 4 - zstdHighBit32(UInt32(next.offset + 3)) : 0
        if rep2 >= 4 && repGain > currentGain && repGain >= nextGain {
          matchStart = p
          length = rep2
          offset = reps.rep0
        } else if nextGain > currentGain {
          matchStart = p
          length = next.length
          offset = next.offset
        } else {
          break
        }
        depth += 1
      }
      while matchStart > anchor && matchStart - offset > 0 && src[matchStart - 1] == src[matchStart - offset - 1] {
        matchStart -= 1
        length += 1
      }
      let literalLength = matchStart - anchor
      store.add(
        literals: src + anchor, literalLength: literalLength,
        offBase: reps.code(offset: offset, literalLength: literalLength), matchLength: length)
      ip = matchStart + length
      anchor = ip
      while ip < ilimit {
        let len = repeatLength(ip, reps.rep1, end)
        guard len >= 4 else { break }
        store.add(
          literals: src + anchor, literalLength: 0, offBase: reps.code(offset: reps.rep1, literalLength: 0),
          matchLength: len)
        ip += len
        anchor = ip
      }
    }
    store.addLiterals(src + anchor, end - anchor)
    self.reps = reps
  }
}
