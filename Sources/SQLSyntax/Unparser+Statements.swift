extension Unparser {
    mutating func write(_ statement: Statement) {
        switch statement.kind {
        case .createSource(let create): write(create)
        case .createAsSelect(let create): write(create)
        case .createType(let create):
            write("CREATE TYPE " + (create.ifNotExists ? "IF NOT EXISTS " : ""))
            write(create.name)
            write(" AS ")
            write(create.type)
        case .alterSource(let alter): write(alter)
        case .dropSource(let drop):
            write("DROP \(drop.kind.rawValue) " + (drop.ifExists ? "IF EXISTS " : ""))
            write(drop.name)
            if drop.deleteTopic { write(" DELETE TOPIC") }
        case .dropType(let drop):
            write("DROP TYPE " + (drop.ifExists ? "IF EXISTS " : ""))
            write(drop.name)
        case .query(let query): write(query)
        default: writeDML(statement.kind)
        }
    }

    private mutating func writeDML(_ kind: Statement.Kind) {
        switch kind {
        case .insertSelect(let insert):
            write("INSERT INTO ")
            write(insert.target)
            writeProperties(insert.properties)
            write(" ")
            write(insert.query)
        case .insertValues(let insert):
            write("INSERT INTO ")
            write(insert.target)
            writeColumnList(insert.columns)
            write(" VALUES ")
            writeList(insert.rows) { unparser, row in
                unparser.write("(")
                unparser.writeList(row) { $0.write($1) }
                unparser.write(")")
            }
        case .delete(let delete):
            write("DELETE FROM ")
            write(delete.target)
            if let condition = delete.whereClause {
                write(" WHERE ")
                write(condition)
            }
        default: writeAdministration(kind)
        }
    }

    private mutating func writeAdministration(_ kind: Statement.Kind) {
        switch kind {
        case .show(let show):
            write("SHOW " + (show.all ? "ALL " : "") + show.subject.rawValue + (show.extended ? " EXTENDED" : ""))
        case .describe(let describe): write(describe)
        case .printTopic(let print): write(print)
        case .terminate(let target): writeQueryControl("TERMINATE", target)
        case .pause(let target): writeQueryControl("PAUSE", target)
        case .resume(let target): writeQueryControl("RESUME", target)
        case .setProperty(let name, let value):
            write("SET \(Unparser.stringLiteral(name)) = \(Unparser.stringLiteral(value))")
        case .unsetProperty(let name): write("UNSET " + Unparser.stringLiteral(name))
        case .define(let name, let value):
            write("DEFINE ")
            write(name)
            write(" = " + Unparser.stringLiteral(value))
        case .undefine(let name):
            write("UNDEFINE ")
            write(name)
        case .explain(.statement(let inner)):
            write("EXPLAIN ")
            write(inner)
        case .explain(.queryID(let id)):
            write("EXPLAIN ")
            write(id)
        case .runScript(let path): write("RUN SCRIPT " + Unparser.stringLiteral(path))
        default: writeAssertion(kind)
        }
    }

    private mutating func writeAssertion(_ kind: Statement.Kind) {
        switch kind {
        case .assertTopic(let assertion):
            write("ASSERT " + (assertion.notExists ? "NOT EXISTS " : "") + "TOPIC ")
            write(Unparser.stringLiteral(assertion.topic))
            writeProperties(assertion.properties)
            if let timeout = assertion.timeout {
                write(" TIMEOUT ")
                write(timeout)
            }
        case .assertValues(let assertion):
            write(assertion.isNull ? "ASSERT NULL VALUES " : "ASSERT VALUES ")
            write(assertion.source)
            writeColumnList(assertion.columns)
            write(assertion.isNull ? " KEY (" : " VALUES (")
            writeList(assertion.values) { $0.write($1) }
            write(")")
        case .assertSource(let assertion):
            write("ASSERT \(assertion.kind.rawValue) ")
            write(assertion.name)
            writeElements(assertion.elements)
            writeProperties(assertion.properties)
        default: preconditionFailure("unparser: unhandled statement kind \(kind)")
        }
    }

    // MARK: - Pieces

    private mutating func write(_ create: Statement.CreateSource) {
        write("CREATE " + (create.orReplace ? "OR REPLACE " : "") + (create.isSource ? "SOURCE " : ""))
        write(create.kind.rawValue + " " + (create.ifNotExists ? "IF NOT EXISTS " : ""))
        write(create.name)
        writeElements(create.elements)
        writeProperties(create.properties)
    }

    private mutating func write(_ create: Statement.CreateAsSelect) {
        write("CREATE " + (create.orReplace ? "OR REPLACE " : ""))
        write(create.kind.rawValue + " " + (create.ifNotExists ? "IF NOT EXISTS " : ""))
        write(create.name)
        writeProperties(create.properties)
        write(" AS ")
        write(create.query)
    }

    private mutating func write(_ alter: Statement.AlterSource) {
        write("ALTER \(alter.kind.rawValue) ")
        write(alter.name)
        write(" ")
        writeList(alter.addedColumns) { unparser, column in
            unparser.write("ADD COLUMN ")
            unparser.write(column)
        }
    }

    private mutating func write(_ describe: Statement.Describe) {
        switch describe {
        case .source(let name, let extended):
            write("DESCRIBE ")
            write(name)
            if extended { write(" EXTENDED") }
        case .streams(let extended): write("DESCRIBE STREAMS" + (extended ? " EXTENDED" : ""))
        case .tables(let extended): write("DESCRIBE TABLES" + (extended ? " EXTENDED" : ""))
        case .function(let name):
            write("DESCRIBE FUNCTION ")
            write(name)
        }
    }

    private mutating func write(_ print: Statement.PrintTopic) {
        write("PRINT " + Unparser.stringLiteral(print.topic))
        if print.fromBeginning { write(" FROM BEGINNING") }
        if let interval = print.interval { write(" INTERVAL \(interval)") }
        if let limit = print.limit { write(" LIMIT \(limit)") }
    }

    private mutating func writeQueryControl(_ verb: String, _ target: Statement.QueryTarget) {
        write(verb + " ")
        switch target {
        case .all: write("ALL")
        case .query(let id): write(id)
        }
    }

    mutating func write(_ element: Statement.TableElement) {
        write(element.name)
        write(" ")
        write(element.type)
        switch element.constraint {
        case nil: break
        case .key: write(" KEY")
        case .primaryKey: write(" PRIMARY KEY")
        case .headers: write(" HEADERS")
        case .header(let key): write(" HEADER(\(Unparser.stringLiteral(key)))")
        }
    }

    private mutating func writeElements(_ elements: [Statement.TableElement]) {
        guard !elements.isEmpty else { return }
        write(" (")
        writeList(elements) { $0.write($1) }
        write(")")
    }

    private mutating func writeColumnList(_ columns: [Identifier]) {
        guard !columns.isEmpty else { return }
        write(" (")
        writeList(columns) { $0.write($1) }
        write(")")
    }

    private mutating func writeProperties(_ properties: [Statement.Property]) {
        guard !properties.isEmpty else { return }
        write(" WITH (")
        writeList(properties) { unparser, property in
            unparser.write(
                property.nameIsString ? Unparser.stringLiteral(property.name) : Unparser.quoted(property.name))
            unparser.write(" = ")
            unparser.write(property.value)
        }
        write(")")
    }
}
