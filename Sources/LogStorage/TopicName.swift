/// Kafka's topic-name rules (`Topic.validate`): 1 to 249 characters of ASCII letters, digits, '.', '_' and '-',
/// and neither "." nor "..".
public enum TopicName {
    public static let maxLength = 249

    public static func validate(_ name: String) throws {
        guard !name.isEmpty else { throw LogError(.invalidTopic, "topic name is empty") }
        guard name != "." && name != ".." else { throw LogError(.invalidTopic, "topic name cannot be '.' or '..'") }
        guard name.utf8.count <= maxLength else {
            throw LogError(.invalidTopic, "topic name is \(name.utf8.count) characters long; the limit is \(maxLength)")
        }
        for byte in name.utf8 where !isLegal(byte) {
            throw LogError(.invalidTopic, "topic name '\(name)' contains '\(Character(Unicode.Scalar(byte)))'; legal characters are ASCII letters, digits, '.', '_' and '-'")
        }
    }

    static func isLegal(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
