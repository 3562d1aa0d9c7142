/// How hard the compressor searches for matches at each level.
struct ZstdLevelParameters {
  enum Strategy {
    /// One hash table, greedy: fastest.
    case fast
    /// A long (8-byte) and a short hash table, greedy.
    case doubleFast
    /// Hash chains with lazy evaluation of the next positions.
    case lazy
  }

  var strategy: Strategy
  /// Matches reach at most 2^windowLog bytes back.
  var windowLog: Int
  var hashLog: Int
  /// Long-hash table (double fast) or chain table (lazy) size.
  var secondaryLog: Int
  var minMatch: Int
  /// Chain candidates examined per position (lazy).
  var searchDepth: Int
  /// Positions after a found match also tried before committing (lazy): 0, 1 or 2.
  var lazyDepth: Int
  /// Larger means slower acceleration through incompressible data.
  var skipStrength: Int

  static func forLevel(_ level: Int) -> ZstdLevelParameters {
    switch min(max(level, 1), 9) {
    case 1: ZstdLevelParameters(strategy: .fast, windowLog: 20, hashLog: 15, secondaryLog: 0, minMatch: 6, searchDepth: 1, lazyDepth: 0, skipStrength: 6)
    case 2: ZstdLevelParameters(strategy: .fast, windowLog: 21, hashLog: 16, secondaryLog: 0, minMatch: 5, searchDepth: 1, lazyDepth: 0, skipStrength: 7)
    case 3: ZstdLevelParameters(strategy: .doubleFast, windowLog: 21, hashLog: 16, secondaryLog: 17, minMatch: 5, searchDepth: 1, lazyDepth: 0, skipStrength: 8)
    case 4: ZstdLevelParameters(strategy: .doubleFast, windowLog: 22, hashLog: 17, secondaryLog: 18, minMatch: 5, searchDepth: 1, lazyDepth: 0, skipStrength: 8)
    case 5: ZstdLevelParameters(strategy: .lazy, windowLog: 22, hashLog: 17, secondaryLog: 17, minMatch: 5, searchDepth: 4, lazyDepth: 1, skipStrength: 8)
    case 6: ZstdLevelParameters(strategy: .lazy, windowLog: 22, hashLog: 17, secondaryLog: 18, minMatch: 5, searchDepth: 8, lazyDepth: 1, skipStrength: 8)
    case 7: ZstdLevelParameters(strategy: .lazy, windowLog: 22, hashLog: 18, secondaryLog: 18, minMatch: 4, searchDepth: 8, lazyDepth: 2, skipStrength: 8)
    case 8: ZstdLevelParameters(strategy: .lazy, windowLog: 23, hashLog: 17, secondaryLog: 17, minMatch: 4, searchDepth: 12, lazyDepth: 2, skipStrength: 8)
    default: ZstdLevelParameters(strategy: .lazy, windowLog: 23, hashLog: 18, secondaryLog: 20, minMatch: 4, searchDepth: 16, lazyDepth: 2, skipStrength: 8)
    }
  }
}
