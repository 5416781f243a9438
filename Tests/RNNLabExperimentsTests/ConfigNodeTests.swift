import Foundation
@testable import RNNLabExperiments
import XCTest

final class ConfigNodeTests: XCTestCase {
    func testYAMLSyntaxErrorsNameTheEnclosingKey() {
        XCTAssertEqual(ConfigNode.enclosingKey(in: "name: a\ntraining:\n  optimizer: {kind: adam\n", line: 3), "training.optimizer")
        XCTAssertEqual(ConfigNode.enclosingKey(in: "# comment\n%YAML 9\nname: a\n", line: 2), "name")
    }
}
