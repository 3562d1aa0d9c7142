public import Parquet
import ObjectStore
import Storage

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension ParquetFileReader {
  /// Opens a Parquet file on local disk or, for `s3://…`, on S3 (ranged reads).
  public static func open(_ path: String) throws(ParquetError) -> ParquetFileReader {
    guard S3Location.isS3(path) else { return try ParquetFileReader(path: path) }
    let file: any ReadableFile
    do {
      file = try DefaultTableStorage().openFile(path)
    } catch {
      throw ParquetError(.io, error.message, path: path, cause: error)
    }
    return try ParquetFileReader(file: file)
  }
}

/// Shell-style patterns over object keys: `s3://bucket/logs/*.parquet`.
public enum ObjectPaths {
  /// The `s3://` URLs matching `pattern`, sorted: the keys under the pattern's literal prefix,
  /// matched with `*`, `?` and `[…]` within one path segment each.
  public static func expand(_ pattern: String) throws(DeltaError) -> [String] {
    guard let location = S3Location(url: pattern) else { return [] }
    let wildcard = location.key.firstIndex { "*?[".contains($0) }
    let literal = wildcard.map { String(location.key[..<$0]) } ?? location.key
    let client = S3TableStorage.fromEnvironment.client
    let objects: [S3ObjectInfo]
    do {
      objects = try client.list(bucket: location.bucket, prefix: literal).objects
    } catch {
      throw S3TableStorage.deltaError(error, pattern)
    }
    let keyPattern = location.key
    return objects.map(\.key).filter { key in
      wildcard == nil ? key == keyPattern : fnmatch(keyPattern, key, FNM_PATHNAME) == 0
    }.sorted().map { "s3://\(location.bucket)/\($0)" }
  }
}
