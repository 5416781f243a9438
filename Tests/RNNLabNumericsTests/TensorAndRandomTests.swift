import RNNLabNumerics
import XCTest

final class TensorAndRandomTests: XCTestCase {
    func testTensorReshapeKeepsCapacity() {
        let t = Tensor<Float>(shape: [4, 5], repeating: 1)
        let base = t.data
        t.reshape([2, 3])
        XCTAssertEqual(t.count, 6)
        XCTAssertEqual(t.data, base, "shrinking reuses the allocation")
        XCTAssertEqual(t.capacity, 20)
        t.reshape([10, 10])
        XCTAssertEqual(t.count, 100)
        XCTAssertEqual(t.array, [Float](repeating: 0, count: 100), "growing gives zeros")
        let c = t.clone()
        c[0] = 5
        XCTAssertEqual(t[0], 0, "clone does not share storage")
        XCTAssertEqual(Tensor<Double>(shape: [2], values: [1.5, 2]).converted(to: Float.self).array, [1.5, 2])
    }

    func testViewsShareTheirBaseMemory() {
        var base: Tensor<Float>? = Tensor<Float>(shape: [3, 4], values: (0..<12).map(Float.init))
        guard let source = base else { return XCTFail("no tensor") }
        let view = Tensor(viewing: source, offset: 4, shape: [2, 4])
        XCTAssertEqual(view.array, (4..<12).map(Float.init))
        XCTAssertEqual(view.data, source.data + 4, "a view does not copy")
        view[0] = -1
        XCTAssertEqual(source[4], -1, "writes through a view reach the base")
        view.reshape([8])
        XCTAssertEqual(view.count, 8, "a view may change its shape within its elements")
        base = nil
        XCTAssertEqual(view[7], 11, "a view keeps its base alive")
    }

    func testStreamsAreDeterministicAndIndependent() {
        var a = RandomStream(seed: 42, stream: "init")
        var b = RandomStream(seed: 42, stream: "init")
        var c = RandomStream(seed: 42, stream: "dropout")
        var d = RandomStream(seed: 43, stream: "init")
        let seqA = (0..<8).map { _ in a.next() }
        XCTAssertEqual(seqA, (0..<8).map { _ in b.next() })
        XCTAssertNotEqual(seqA, (0..<8).map { _ in c.next() })
        XCTAssertNotEqual(seqA, (0..<8).map { _ in d.next() })
        // Saving and restoring the state continues the same sequence.
        let saved = a.state
        let next = (0..<4).map { _ in a.next() }
        var restored = RandomStream(state: saved)
        XCTAssertEqual(next, (0..<4).map { _ in restored.next() })
    }

    func testDistributions() {
        var random = RandomStream(seed: 1, stream: "stats")
        let n = 200_000
        let uniforms = (0..<n).map { _ in random.nextUnit() }
        XCTAssertTrue(uniforms.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertEqual(uniforms.reduce(0, +) / Double(n), 0.5, accuracy: 0.005)
        let normals = (0..<n).map { _ in random.normal() }
        let mean = normals.reduce(0, +) / Double(n)
        let variance = normals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        XCTAssertEqual(mean, 0, accuracy: 0.01)
        XCTAssertEqual(variance, 1, accuracy: 0.02)
        var counts = [Int](repeating: 0, count: 5)
        for _ in 0..<50_000 { counts[random.index(below: 5)] += 1 }
        for count in counts { XCTAssertEqual(Double(count) / 50_000, 0.2, accuracy: 0.01) }
    }
}
