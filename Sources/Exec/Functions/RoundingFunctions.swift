import Columnar
import Expr

/// `round(x [, digits])`, `floor(x)`, `ceil(x)`: integers come back unchanged; other numbers
/// are computed as doubles (round halves away from zero, as DuckDB's `round`).
struct RoundingKernel: ScalarFunctionKernel {
  enum Mode: Sendable { case round, floor, ceil }
  let mode: Mode
  let digits: Int
  var name: String {
    switch mode {
    case .round: "round"
    case .floor: "floor"
    case .ceil: "ceil"
    }
  }

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let v = arguments[0]
    if case .none = v.storage { return .nulls(.float64, count: n) }
    if Kernels.isInteger(v.type) && (mode != .round || digits >= 0) { return v }
    guard let numbers = Kernels.numeric(v) else {
      throw ExecError(.typeMismatch, "\(name) needs a number, not \(FunctionCall.typeName(v.type))")
    }
    var scale = 1.0
    for _ in 0..<Swift.abs(digits) { scale *= 10 }
    let values = Kernels.doubles(numbers)
    let out = values.map { x -> Double in
      switch mode {
      case .floor: return x.rounded(.down)
      case .ceil: return x.rounded(.up)
      case .round:
        if digits >= 0 { return (x * scale).rounded(.toNearestOrAwayFromZero) / scale }
        return (x / scale).rounded(.toNearestOrAwayFromZero) * scale
      }
    }
    return ColumnVector(type: .float64, count: n, validity: v.effectiveValidity, storage: .float64(out))
  }
}
