"""Kafka-wire throughput of a running `sluice serve`, measured with confluent-kafka (librdkafka), as issue 6 asks:
100-byte messages, linger.ms=5, for acks=1 and acks=all, without compression and with LZ4. For each, N messages are
produced to a fresh topic (with produce_batch) and consumed back (with consume(), one Python Message object per
message, which bounds the consume figure: the main thread spends about 0.5 us per message in the binding, while the
server uses 0.06 us); prints messages/s and MB/s for both directions. bench/rdkafka_throughput.c measures the same
from C.

usage: kafka_throughput.py HOST:PORT N
Run it through bench/kafka-vs-redis.sh, which also measures Redis Streams in the same run.
"""
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition

BROKER, N = sys.argv[1], int(sys.argv[2])
VALUE = b"x" * 100
MB = N * len(VALUE) / 1e6


def produce(topic, acks, compression):
    # delivery.report.only.error: a Python callback per delivered message costs the main thread more than
    # librdkafka's whole produce path (measured 1.14M msg/s with it, 1.4-1.5M without). Failed messages still reach
    # `delivered`, and flush() returns how many were never acknowledged, so no loss goes unnoticed.
    producer = Producer({
        "bootstrap.servers": BROKER, "acks": acks, "compression.type": compression, "linger.ms": 5,
        "batch.size": 1_000_000, "queue.buffering.max.messages": 2_000_000, "queue.buffering.max.kbytes": 2_000_000,
        "delivery.report.only.error": True,
    })
    errors = []

    def delivered(error, _):
        if error is not None:
            errors.append(error)

    # produce_batch hands librdkafka 10,000 messages per call: one produce() call per message costs Python about
    # a microsecond each, which would measure the binding rather than the broker.
    chunk = [{"value": VALUE}] * 10_000
    started = time.perf_counter()
    sent = 0
    while sent < N:
        try:
            sent += producer.produce_batch(topic, chunk[: min(len(chunk), N - sent)], on_delivery=delivered)
        except BufferError:
            producer.poll(0.01)
        producer.poll(0)
    left = producer.flush(120)
    elapsed = time.perf_counter() - started
    assert left == 0 and not errors, (left, errors[:3])
    return elapsed


def consume(topic):
    # librdkafka >= 2.4 stops fetching a partition for fetch.queue.backoff.ms (default 1,000 ms) whenever its local
    # queue is above queued.min.messages: a consumer that drains faster than that waits idle about once a second,
    # whatever the broker. 1 ms keeps the fetcher going. Fetch sizes stay at librdkafka's defaults (1 MiB per
    # partition): 50 MiB fetches measured slower here, since the consumer then waits for each huge response.
    consumer = Consumer({
        "bootstrap.servers": BROKER, "group.id": "bench-" + topic, "enable.auto.commit": False, "auto.offset.reset": "earliest",
        "fetch.queue.backoff.ms": 1,
    })
    consumer.assign([TopicPartition(topic, 0, 0)])
    started = time.perf_counter()
    count = 0
    while count < N:
        for message in consumer.consume(num_messages=1_000, timeout=1.0):
            if message.error():
                raise RuntimeError(message.error())
            count += 1
    elapsed = time.perf_counter() - started
    consumer.close()
    return elapsed


print(f"confluent-kafka {__import__('confluent_kafka').version()} (librdkafka {__import__('confluent_kafka').libversion()[0]}), "
      f"{N:,} messages of {len(VALUE)} bytes, linger.ms=5")
for acks in ["1", "all"]:
    for compression in ["none", "lz4"]:
        topic = f"bench-acks{acks}-{compression}"
        produced = produce(topic, acks, compression)
        consumed = consume(topic)
        print(f"sluice acks={acks:<3} {compression:<4}  produce {N / produced:>12,.0f} msg/s {MB / produced:>8.1f} MB/s"
              f"   consume {N / consumed:>12,.0f} msg/s {MB / consumed:>8.1f} MB/s", flush=True)
