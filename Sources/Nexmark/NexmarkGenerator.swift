import SluiceCore

/// A deterministic Nexmark event generator (the auction-site benchmark: people, auctions, bids).
///
/// Ids, event kinds and event times are pure functions of the event id, as in the Nexmark kits: of every 50
/// consecutive ids one is a Person, three are Auctions and 46 are Bids (1:3:46); at the default rate of 10,000
/// events per second of event time, event n happens n / 10 ms after `baseTime`. Field values come from a
/// SplitMix64 generator seeded with (seed, event id), so the same seed gives the same events on every machine,
/// whatever order they are asked for in. Follows nexmark-rs / Beam for the shape of values (hot sellers, bidders
/// and auctions; prices 10^(0..6) × 100 cents) without copying their code; bidder ids add 1000 once, as nexmark-rs.
public struct NexmarkGenerator: Sendable {
    public struct Configuration: Sendable {
        /// Event time of event 0, in milliseconds since the epoch (default 2015-07-15 00:00:00 UTC, as RisingWave).
        public var baseTime: Int64 = 1_436_918_400_000
        /// Events per second of event time.
        public var eventsPerSecond: Int64 = 10_000
        public var seed: UInt64 = 0
        public init() {}
    }

    public enum Event: Sendable, Equatable {
        case person(Person)
        case auction(Auction)
        case bid(Bid)
    }

    public struct Person: Sendable, Equatable {
        public var id: Int64
        public var name: String
        public var emailAddress: String
        public var creditCard: String
        public var city: String
        public var state: String
        public var dateTime: Int64
        public var extra: String
    }

    public struct Auction: Sendable, Equatable {
        public var id: Int64
        public var itemName: String
        public var description: String
        public var initialBid: Int64
        public var reserve: Int64
        public var dateTime: Int64
        public var expires: Int64
        public var seller: Int64
        public var category: Int64
        public var extra: String
    }

    public struct Bid: Sendable, Equatable {
        public var auction: Int64
        public var bidder: Int64
        public var price: Int64
        public var channel: String
        public var url: String
        public var dateTime: Int64
        public var extra: String
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    static let proportion: Int64 = 50
    static let firstPersonID: Int64 = 1000
    static let firstAuctionID: Int64 = 1000
    static let firstCategory: Int64 = 10
    static let categories: Int64 = 5
    static let activePeople: Int64 = 1000
    static let inFlightAuctions: Int64 = 100
    static let firstNames = ["Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"]
    static let lastNames = ["Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"]
    static let cities = ["Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"]
    static let states = ["AZ", "CA", "ID", "OR", "WA", "WY"]
    static let channels = ["Google", "Facebook", "Baidu", "Apple"]

    /// The event time of event `id`.
    public func time(of id: Int64) -> Int64 {
        configuration.baseTime + id * 1000 / configuration.eventsPerSecond
    }

    /// Event number `id` (0, 1, 2, …).
    public func event(_ id: Int64) -> Event {
        var random = SeededRandom(seed: configuration.seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: id))
        let slot = id % Self.proportion
        let time = time(of: id)
        switch slot {
        case 0:
            return .person(person(id, time, &random))
        case 1...3:
            return .auction(auction(id, time, &random))
        default:
            return .bid(bid(id, time, &random))
        }
    }

    /// The person most recently created at or before event `id`.
    static func lastPerson(_ id: Int64) -> Int64 { firstPersonID + id / proportion }
    /// The auction most recently created at or before event `id`.
    static func lastAuction(_ id: Int64) -> Int64 {
        let slot = id % proportion
        return firstAuctionID + 3 * (id / proportion) + (slot == 0 ? -1 : min(slot, 3) - 1)
    }

    private func person(_ id: Int64, _ time: Int64, _ random: inout SeededRandom) -> Person {
        let name = Self.firstNames.randomElement(using: &random)! + " " + Self.lastNames.randomElement(using: &random)!
        let card = (0..<4).map { _ in Self.padded(Int.random(in: 0..<10_000, using: &random), 4) }.joined(separator: " ")
        return Person(
            id: Self.lastPerson(id), name: name,
            emailAddress: Self.word(7, &random) + "@" + Self.word(5, &random) + ".com", creditCard: card,
            city: Self.cities.randomElement(using: &random)!, state: Self.states.randomElement(using: &random)!, dateTime: time,
            extra: Self.word(Int.random(in: 0..<40, using: &random), &random))
    }

    private func auction(_ id: Int64, _ time: Int64, _ random: inout SeededRandom) -> Auction {
        let lastPerson = Self.lastPerson(id) - Self.firstPersonID
        // A quarter of auctions come from any recently active person, the rest from a "hot" seller.
        let seller = Int.random(in: 0..<4, using: &random) == 0
            ? max(0, lastPerson - Int64.random(in: 0..<Self.activePeople, using: &random))
            : (lastPerson / 100) * 100
        let initialBid = Self.price(&random)
        // Auctions stay open for up to about 20 s of event time.
        let expires = time + 1 + Int64.random(in: 0..<20_000, using: &random)
        return Auction(
            id: Self.lastAuction(id), itemName: Self.word(Int.random(in: 3..<20, using: &random), &random),
            description: Self.word(Int.random(in: 10..<60, using: &random), &random), initialBid: initialBid,
            reserve: initialBid + Self.price(&random), dateTime: time, expires: expires, seller: seller + Self.firstPersonID,
            category: Self.firstCategory + Int64.random(in: 0..<Self.categories, using: &random),
            extra: Self.word(Int.random(in: 0..<40, using: &random), &random))
    }

    private func bid(_ id: Int64, _ time: Int64, _ random: inout SeededRandom) -> Bid {
        let lastAuction = Self.lastAuction(id) - Self.firstAuctionID
        // Half the bids go to a "hot" auction, the rest to one of the auctions in flight.
        let auction = Bool.random(using: &random)
            ? (lastAuction / 100) * 100
            : max(0, lastAuction - Int64.random(in: 0..<Self.inFlightAuctions, using: &random))
        let lastPerson = Self.lastPerson(id) - Self.firstPersonID
        let bidder = Int.random(in: 0..<4, using: &random) == 0
            ? max(0, lastPerson - Int64.random(in: 0..<Self.activePeople, using: &random))
            : (lastPerson / 100) * 100 + 1
        let channel = Bool.random(using: &random)
            ? Self.channels.randomElement(using: &random)!
            : "channel-\(Int.random(in: 0..<10_000, using: &random))"
        let url = "https://www.nexmark.com/\(Self.word(5, &random))/\(Self.word(5, &random))/\(Self.word(5, &random))/item.htm?query=1"
        return Bid(
            auction: auction + Self.firstAuctionID, bidder: bidder + Self.firstPersonID, price: Self.price(&random), channel: channel,
            url: url, dateTime: time, extra: Self.word(Int.random(in: 0..<20, using: &random), &random))
    }

    /// 10^(0..6) × 100 cents, rounded.
    static func price(_ random: inout SeededRandom) -> Int64 {
        Int64((pow10(Double.random(in: 0..<6, using: &random)) * 100).rounded())
    }

    static func pow10(_ x: Double) -> Double {
        // exp(x · ln 10), without Foundation.
        var result = 1.0
        var term = 1.0
        let y = x * 2.302585092994046
        for n in 1..<60 {
            term *= y / Double(n)
            result += term
        }
        return result
    }

    static func word(_ length: Int, _ random: inout SeededRandom) -> String {
        String((0..<length).map { _ in Character(Unicode.Scalar(UInt8.random(in: 97...122, using: &random))) })
    }

    static func padded(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension NexmarkGenerator.Event {
    /// The event as a JSON object with snake_case fields (RisingWave's names); times in epoch milliseconds.
    public var json: String {
        switch self {
        case .person(let p):
            return "{\"id\":\(p.id),\"name\":\(quoted(p.name)),\"email_address\":\(quoted(p.emailAddress)),\"credit_card\":\(quoted(p.creditCard)),"
                + "\"city\":\(quoted(p.city)),\"state\":\(quoted(p.state)),\"date_time\":\(p.dateTime),\"extra\":\(quoted(p.extra))}"
        case .auction(let a):
            return "{\"id\":\(a.id),\"item_name\":\(quoted(a.itemName)),\"description\":\(quoted(a.description)),"
                + "\"initial_bid\":\(a.initialBid),\"reserve\":\(a.reserve),\"date_time\":\(a.dateTime),\"expires\":\(a.expires),"
                + "\"seller\":\(a.seller),\"category\":\(a.category),\"extra\":\(quoted(a.extra))}"
        case .bid(let b):
            return "{\"auction\":\(b.auction),\"bidder\":\(b.bidder),\"price\":\(b.price),\"channel\":\(quoted(b.channel)),"
                + "\"url\":\(quoted(b.url)),\"date_time\":\(b.dateTime),\"extra\":\(quoted(b.extra))}"
        }
    }

    /// The topic the event goes to: person, auction or bid.
    public var topic: String {
        switch self {
        case .person: "person"
        case .auction: "auction"
        case .bid: "bid"
        }
    }

    /// The record key: the person's or auction's id; bids are keyed by auction.
    public var key: Int64 {
        switch self {
        case .person(let p): p.id
        case .auction(let a): a.id
        case .bid(let b): b.auction
        }
    }

    public var dateTime: Int64 {
        switch self {
        case .person(let p): p.dateTime
        case .auction(let a): a.dateTime
        case .bid(let b): b.dateTime
        }
    }

    private func quoted(_ text: String) -> String {
        // Generated strings hold letters, digits, spaces, '@', '.', '/', ':', '?', '=' and '-': nothing to escape.
        "\"" + text + "\""
    }
}
