@testable import SQLSyntax

/// A readable, span-free tree dump of any AST value, built by reflection, for golden files.
enum ASTDump {
    static func dump(_ value: Any) -> String {
        var lines: [String] = []
        write(value, label: nil, indent: 0, into: &lines)
        return lines.joined(separator: "\n")
    }

    private static func write(_ value: Any, label: String?, indent: Int, into lines: inout [String]) {
        let shownLabel = label.flatMap { $0.hasPrefix(".") ? nil : $0 }  // positional tuple elements
        let prefix = String(repeating: "  ", count: indent) + (shownLabel.map { "\($0): " } ?? "")
        if let identifier = value as? Identifier {
            lines.append(prefix + "`\(identifier.value)`")
            return
        }
        if let text = value as? String {
            lines.append(prefix + "\"\(text)\"")
            return
        }
        if let location = value as? SourceLocation {  // its stored fields are packed; show the public ones
            let inner = String(repeating: "  ", count: indent + 1)
            lines += [prefix + "SourceLocation", inner + "offset: \(location.offset)", inner + "line: \(location.line)",
                      inner + "column: \(location.column)"]
            return
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            if let child = mirror.children.first {
                write(child.value, label: label, indent: indent, into: &lines)
            } else {
                lines.append(prefix + "nil")
            }
        case .enum:
            writeEnum(value, mirror, prefix: prefix, indent: indent, into: &lines)
        case .struct where mirror.children.filter({ !($0.value is SourceSpan) }).count == 1:
            // A wrapper such as Expr or TypeName (a kind plus a span): show the kind in its place.
            let only = mirror.children.first { !($0.value is SourceSpan) }
            write(only?.value ?? "", label: label, indent: indent, into: &lines)
        case .struct, .tuple, .class:
            writeFields(
                mirror, header: prefix + (mirror.displayStyle == .tuple ? "" : "\(mirror.subjectType)"),
                indent: indent, into: &lines)
        case .collection:
            if mirror.children.isEmpty {
                lines.append(prefix + "[]")
                return
            }
            lines.append(prefix + "[")
            for child in mirror.children { write(child.value, label: nil, indent: indent + 1, into: &lines) }
            lines.append(String(repeating: "  ", count: indent) + "]")
        default:
            lines.append(prefix + "\(value)")
        }
    }

    private static func writeEnum(
        _ value: Any, _ mirror: Mirror, prefix: String, indent: Int, into lines: inout [String]
    ) {
        guard let payload = mirror.children.first, let name = payload.label else {
            lines.append(prefix + ".\(value)")
            return
        }
        let inner = Mirror(reflecting: payload.value)
        if inner.displayStyle == .tuple {
            writeFields(inner, header: prefix + ".\(name)", indent: indent, into: &lines)
        } else {
            lines.append(prefix + ".\(name)")
            write(payload.value, label: nil, indent: indent + 1, into: &lines)
        }
    }

    private static func writeFields(_ mirror: Mirror, header: String, indent: Int, into lines: inout [String]) {
        let fields = mirror.children.filter { !($0.value is SourceSpan) }
        if fields.isEmpty {
            lines.append(header)
            return
        }
        lines.append(header)
        for field in fields { write(field.value, label: field.label, indent: indent + 1, into: &lines) }
    }
}
