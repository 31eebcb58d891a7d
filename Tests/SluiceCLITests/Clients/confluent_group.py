"""Drives a running `sluice serve` Kafka listener with confluent-kafka (librdkafka), the scenario of issue 6:

1. the admin client creates a 3-partition topic;
2. an idempotent producer (acks=all, enable.idempotence=true, LZ4) sends N messages, each delivery confirmed;
3. three consumers in one group share the topic, committing synchronously after each batch they process;
   a third of the way through, one of them leaves and the other two take over its partitions;
4. two thirds of the way through, every consumer stops ("a restart of the consumers");
5. two new consumers in the same group resume from the committed offsets and read the rest.

Asserts that every message was read, and that a message was read twice only if the commit of the batch it came in
failed (Kafka's at-least-once contract for what was not committed; nothing committed is read again). Prints
figures and OK, or raises.

usage: confluent_group.py HOST:PORT N
"""
import sys
import threading
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

BROKER, N = sys.argv[1], int(sys.argv[2])
TOPIC, GROUP, PARTITIONS = "orders-cg", "billing", 3

admin = AdminClient({"bootstrap.servers": BROKER})
for future in admin.create_topics([NewTopic(TOPIC, num_partitions=PARTITIONS, replication_factor=1)]).values():
    future.result(30)
assert len(admin.list_topics(TOPIC, timeout=30).topics[TOPIC].partitions) == PARTITIONS

started = time.monotonic()
producer = Producer({
    "bootstrap.servers": BROKER, "acks": "all", "enable.idempotence": True, "compression.type": "lz4",
    "linger.ms": 5, "queue.buffering.max.messages": 1_000_000,
})
failures = []


def delivered(error, message):
    if error is not None:
        failures.append(error)


for i in range(N):
    while True:
        try:
            producer.produce(TOPIC, key=b"%d" % (i % 1000), value=b"%d" % i, on_delivery=delivered)
            break
        except BufferError:
            producer.poll(0.1)
    if i % 10_000 == 0:
        producer.poll(0)
assert producer.flush(60) == 0, "messages left undelivered"
assert not failures, failures[:3]
produced_in = time.monotonic() - started

lock = threading.Lock()
seen = {}           # value -> times read
uncommitted = set()  # values whose batch's commit failed
errors = []
per_member = {}     # name -> messages read


def consume(name, stop_at, leave_at=None):
    """One group member: reads batches, commits each synchronously, stops when the group has read `stop_at`."""
    consumer = Consumer({
        "bootstrap.servers": BROKER, "group.id": GROUP, "client.id": name, "enable.auto.commit": False,
        "auto.offset.reset": "earliest", "session.timeout.ms": 6000, "heartbeat.interval.ms": 500,
    })
    consumer.subscribe([TOPIC])
    deadline = time.monotonic() + 180
    try:
        while time.monotonic() < deadline:
            with lock:
                total = len(seen)
            if total >= stop_at or (leave_at is not None and total >= leave_at):
                return
            batch = consumer.consume(num_messages=5000, timeout=0.2)
            values = []
            for message in batch:
                if message.error():
                    raise KafkaException(message.error())
                values.append(int(message.value()))
            if not values:
                continue
            try:
                consumer.commit(asynchronous=False)
                committed = True
            except KafkaException:
                committed = False
            with lock:
                per_member[name] = per_member.get(name, 0) + len(values)
                for value in values:
                    seen[value] = seen.get(value, 0) + 1
                if not committed:
                    uncommitted.update(values)
    except Exception as error:  # surfaced by the main thread
        errors.append((name, error))
    finally:
        consumer.close()  # LeaveGroup: the others rebalance at once


def run_members(names, stop_at, leaver=None, leave_at=None):
    threads = [threading.Thread(target=consume, args=(name, stop_at, leave_at if name == leaver else None)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


started = time.monotonic()
run_members(["c1", "c2", "c3"], stop_at=2 * N // 3, leaver="c3", leave_at=N // 3)
first_phase = len(seen)
run_members(["c4", "c5"], stop_at=N)
consumed_in = time.monotonic() - started
assert not errors, errors

missing = N - len(seen)
assert missing == 0, f"{missing} of {N} messages never read"
again = {value for value, count in seen.items() if count > 1}
assert again <= uncommitted, f"{len(again - uncommitted)} committed messages were read twice"
assert first_phase >= 2 * N // 3 and first_phase < N, first_phase
# The group shared the work: every member of both phases read some of it.
assert sorted(per_member) == ["c1", "c2", "c3", "c4", "c5"], per_member

check = Consumer({"bootstrap.servers": BROKER, "group.id": GROUP, "enable.auto.commit": False})
committed = check.committed([TopicPartition(TOPIC, p) for p in range(PARTITIONS)], timeout=30)
ends = [check.get_watermark_offsets(TopicPartition(TOPIC, p), timeout=30)[1] for p in range(PARTITIONS)]
check.close()
assert [tp.offset for tp in committed] == ends, (committed, ends)
assert sum(ends) == N, ends

print(f"produced {N} in {produced_in:.1f} s ({N / produced_in:,.0f} msg/s); consumed by the group in {consumed_in:.1f} s; "
      f"{len(again)} re-read after failed commits; per member {dict(sorted(per_member.items()))}")
print("OK")
