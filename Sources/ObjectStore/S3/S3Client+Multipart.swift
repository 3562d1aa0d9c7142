extension S3Client {
  /// Starts a multipart upload; returns its id.
  public func createMultipartUpload(_ location: S3Location) throws(ObjectStoreError) -> String {
    let response = try send(Call(method: "POST", location: location, query: [("uploads", "")]))
    guard let id = S3XML.value("UploadId", in: response.bodyText[...]) else {
      throw ObjectStoreError(.invalidResponse, "CreateMultipartUpload without an UploadId", location: location.description)
    }
    return id
  }

  /// Uploads part `number` (1-based); returns its ETag.
  public func uploadPart(
    _ location: S3Location, uploadID: String, number: Int, bytes: [UInt8]
  ) throws(ObjectStoreError) -> String {
    let response = try send(
      Call(method: "PUT", location: location, query: [("partNumber", String(number)), ("uploadId", uploadID)], body: bytes))
    guard let etag = response.header("etag") else {
      throw ObjectStoreError(.invalidResponse, "UploadPart \(number) without an ETag", location: location.description)
    }
    return etag
  }

  /// Completes the upload from its parts' ETags, in order; the object appears whole.
  public func completeMultipartUpload(
    _ location: S3Location, uploadID: String, etags: [String]
  ) throws(ObjectStoreError) {
    var xml = "<CompleteMultipartUpload>"
    for (index, etag) in etags.enumerated() {
      xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(S3XML.escape(etag))</ETag></Part>"
    }
    xml += "</CompleteMultipartUpload>"
    let response = try send(
      Call(method: "POST", location: location, query: [("uploadId", uploadID)], body: Array(xml.utf8)))
    // S3 can answer 200 with an error document when completion fails late.
    if response.bodyText.contains("<Error>") {
      throw Self.error(from: HTTPResponse(status: 500, body: response.body), call: Call(method: "POST", location: location))
    }
  }

  /// Abandons the upload and its parts (best effort).
  public func abortMultipartUpload(_ location: S3Location, uploadID: String) {
    var call = Call(method: "DELETE", location: location, query: [("uploadId", uploadID)])
    call.accepted = [404]
    _ = try? send(call)
  }
}
