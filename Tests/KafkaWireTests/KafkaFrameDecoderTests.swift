import KafkaWire
import NIOCore
import NIOTestUtils
import Testing

@Suite struct KafkaFrameDecoderTests {
    @Test func decoderVerifier() throws {
        func frame(_ bytes: [UInt8]) -> ByteBuffer {
            var buffer = ByteBuffer()
            buffer.writeInteger(Int32(bytes.count))
            buffer.writeBytes(bytes)
            return buffer
        }
        let inputs: [(ByteBuffer, [ByteBuffer])] = [
            (frame([1, 2, 3]), [ByteBuffer(bytes: [1, 2, 3])]),
            (frame([]), [ByteBuffer()]),
            (frame(Array(repeating: 9, count: 300)), [ByteBuffer(bytes: Array(repeating: 9, count: 300))]),
        ]
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: inputs) { KafkaFrameDecoder() }
    }

    @Test func oversizeFrameThrows() {
        var buffer = ByteBuffer()
        buffer.writeInteger(Int32(101))
        #expect(throws: KafkaWireError(.frameTooLarge, "frame of 101 bytes; the limit is 100")) {
            _ = try KafkaFrameDecoder.nextFrame(from: &buffer, maxFrameSize: 100)
        }
    }

    @Test func byteByByte() throws {
        var whole = ByteBuffer()
        for payload in [[UInt8](), [1], [2, 3, 4, 5, 6]] {
            whole.writeInteger(Int32(payload.count))
            whole.writeBytes(payload)
        }
        var pending = ByteBuffer()
        var frames: [[UInt8]] = []
        for byte in whole.readableBytesView {
            pending.writeInteger(byte)
            while let frame = try KafkaFrameDecoder.nextFrame(from: &pending, maxFrameSize: 100) {
                frames.append(Array(frame.readableBytesView))
            }
        }
        #expect(frames == [[], [1], [2, 3, 4, 5, 6]])
    }
}
