import Foundation

/// Writes piano rolls as standard MIDI files (format 0, one track).
public enum MIDIWriter {
    /// The MIDI file of a piano roll: each step lists its active pitches; a
    /// pitch held over consecutive steps is one note. 480 ticks per quarter
    /// note, `ticksPerStep` ticks per step, tempo in beats per minute.
    public static func data(pianoRoll steps: [[Int]], ticksPerStep: Int = 240, tempo: Int = 120, velocity: UInt8 = 80) -> Data {
        var events: [(tick: Int, bytes: [UInt8])] = []
        let microsecondsPerQuarter = 60_000_000 / max(tempo, 1)
        events.append((0, [0xFF, 0x51, 0x03, UInt8((microsecondsPerQuarter >> 16) & 0xFF),
                           UInt8((microsecondsPerQuarter >> 8) & 0xFF), UInt8(microsecondsPerQuarter & 0xFF)]))
        var sounding = Set<Int>()
        for (t, step) in (steps + [[]]).enumerated() {
            let now = Set(step.filter { (0...127).contains($0) })
            for pitch in sounding.subtracting(now).sorted() { events.append((t * ticksPerStep, [0x80, UInt8(pitch), 0])) }
            for pitch in now.subtracting(sounding).sorted() { events.append((t * ticksPerStep, [0x90, UInt8(pitch), velocity])) }
            sounding = now
        }
        var track: [UInt8] = []
        var lastTick = 0
        for event in events {
            track += variableLength(event.tick - lastTick) + event.bytes
            lastTick = event.tick
        }
        track += [0x00, 0xFF, 0x2F, 0x00]   // end of track
        var file: [UInt8] = Array("MThd".utf8) + bigEndian(6, bytes: 4) + bigEndian(0, bytes: 2) + bigEndian(1, bytes: 2) + bigEndian(480, bytes: 2)
        file += Array("MTrk".utf8) + bigEndian(track.count, bytes: 4) + track
        return Data(file)
    }

    /// Writes the MIDI file atomically (temporary file, then rename).
    public static func write(pianoRoll steps: [[Int]], to url: URL, ticksPerStep: Int = 240, tempo: Int = 120) throws {
        try data(pianoRoll: steps, ticksPerStep: ticksPerStep, tempo: tempo).write(to: url, options: .atomic)
    }

    static func variableLength(_ value: Int) -> [UInt8] {
        var value = max(value, 0)
        var bytes = [UInt8(value & 0x7F)]
        value >>= 7
        while value > 0 {
            bytes.insert(UInt8(value & 0x7F) | 0x80, at: 0)
            value >>= 7
        }
        return bytes
    }

    static func bigEndian(_ value: Int, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8((value >> ($0 * 8)) & 0xFF) }
    }
}
