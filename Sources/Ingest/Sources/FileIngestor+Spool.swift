extension FileIngestor {
  /// How many first bytes of a file, at most, its identity fingerprints. A writer that never
  /// changes those bytes once written (a spool whose header line is this long) keeps a file's
  /// identity, and so its committed position, even if it cuts a torn end off the file.
  public static var identityPrefixLength: Int { FileIdentity.maxPrefix }

  /// The offset up to which the pipeline has committed the file at `path` (where a restart would
  /// resume reading it), or nil when nothing of it is committed yet or no file is there.
  ///
  /// A spooling server deletes a spool file it no longer writes once this reaches the file's size.
  /// Call it on the thread that drives the pipeline (from `follow`'s `progress`, say): the
  /// pipeline is not thread-safe.
  public func committedOffset(ofFile path: String) throws(IngestError) -> Int64? {
    guard OpenFile.isRegularFile(path) else { return nil }
    let file = try OpenFile(path: path)
    let (inode, size) = try file.status()
    let committed = pipeline.committedStreams(prefix: "file:")
    guard !committed.isEmpty else { return nil }
    let known = committed.keys.compactMap(FileIdentity.init(streamID:))
    guard let identity = try FileIdentity.of(file, inode: inode, size: size, known: known) else { return nil }
    return committed[identity.streamID]
  }
}
