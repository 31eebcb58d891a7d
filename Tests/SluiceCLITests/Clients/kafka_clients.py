"""Drives a running `sluice serve` Kafka listener with kafka-python and aiokafka:

- kafka-python: an idempotent producer (acks=all, the default enable_idempotence) sends 1,000 keyed messages; a
  consumer without a group reads them back from the beginning, each once and in order; the admin client creates
  a topic with 4 partitions, lists and deletes it, and describes and alters a topic's configs, and adds partitions; a group consumer reads half of a topic, commits, closes, and a
  new member of the group resumes where it stopped; the admin client describes the group and its offsets;
- aiokafka: a producer and a group consumer.

Prints OK or raises.

usage: kafka_clients.py HOST:PORT
"""
import sys

import asyncio

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, NewPartitions, NewTopic
from kafka.errors import InvalidPartitionsError, TopicAlreadyExistsError

BROKER = sys.argv[1]

producer = KafkaProducer(bootstrap_servers=BROKER, acks="all", linger_ms=5)
futures = [producer.send("pyt", key=b"k%d" % (i % 10), value=b"v%d" % i) for i in range(1000)]
producer.flush()
offsets = [f.get(timeout=30).offset for f in futures]
assert offsets == list(range(1000)), offsets[:10]
producer.close()

consumer = KafkaConsumer(bootstrap_servers=BROKER, group_id=None, auto_offset_reset="earliest", consumer_timeout_ms=5000)
consumer.assign([TopicPartition("pyt", 0)])
consumer.seek_to_beginning()
seen = [(m.offset, m.key, m.value) for m in consumer]
consumer.close()
assert seen == [(i, b"k%d" % (i % 10), b"v%d" % i) for i in range(1000)], seen[:5]

admin = KafkaAdminClient(bootstrap_servers=BROKER, request_timeout_ms=30000)
assert "pyt" in admin.list_topics()
admin.create_topics([NewTopic("made-by-admin", num_partitions=4, replication_factor=1)])
assert "made-by-admin" in admin.list_topics()
assert len(admin.describe_topics(["made-by-admin"])[0]["partitions"]) == 4
try:
    admin.create_topics([NewTopic("made-by-admin", num_partitions=1, replication_factor=1)])
    raise AssertionError("creating an existing topic succeeded")
except TopicAlreadyExistsError:
    pass
# Topic configs: set at creation, described, then altered.
admin.create_topics([NewTopic("configured", num_partitions=1, replication_factor=1, topic_configs={"retention.ms": "60000"})])
resource = ConfigResource(ConfigResourceType.TOPIC, "configured", configs=["retention.ms", "cleanup.policy"])
described = admin.describe_configs([resource])["topic"]["configured"]
assert described["retention.ms"]["value"] == "60000", described
assert described["retention.ms"]["config_source"] == "DYNAMIC_TOPIC_CONFIG", described
assert admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, "configured", configs={"cleanup.policy": "compact"})]) == {
    "topic": {"configured": "OK"}}
described = admin.describe_configs([resource])["topic"]["configured"]
assert described["cleanup.policy"]["value"] == "compact" and described["retention.ms"]["value"] == "60000", described
# Partitions are added, never removed.
admin.create_partitions({"configured": NewPartitions(3)})
assert len(admin.describe_topics(["configured"])[0]["partitions"]) == 3
try:
    admin.create_partitions({"configured": NewPartitions(2)})
    raise AssertionError("shrinking a topic succeeded")
except InvalidPartitionsError:
    pass
admin.delete_topics(["made-by-admin", "configured"])
assert "made-by-admin" not in admin.list_topics()

# A group consumer commits where it stopped; the next member of the group resumes there.
def group_consumer():
    return KafkaConsumer("pyt", bootstrap_servers=BROKER, group_id="py-group", auto_offset_reset="earliest",
                         enable_auto_commit=False, consumer_timeout_ms=4000, max_poll_records=100)


first = group_consumer()
read = []
for message in first:
    read.append(message.offset)
    if len(read) == 500:
        break
first.commit()
first.close()
assert read == list(range(500)), read[:5]
second = group_consumer()
rest = [message.offset for message in second]
second.commit()
second.close()
assert rest == list(range(500, 1000)), rest[:5]
offsets = admin.list_group_offsets("py-group")
assert offsets["py-group"][TopicPartition("pyt", 0)].offset == 1000, offsets
groups = admin.describe_groups(["py-group"])
assert groups["py-group"]["group_state"] == "Empty", groups
assert "py-group" in [g["group_id"] for g in admin.list_groups()]
admin.close()


async def aiokafka_round_trip():
    producer = AIOKafkaProducer(bootstrap_servers=BROKER, acks="all")
    await producer.start()
    try:
        for i in range(100):
            await producer.send_and_wait("aio", key=b"k", value=b"a%d" % i)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer("aio", bootstrap_servers=BROKER, group_id="aio-group", auto_offset_reset="earliest")
    await consumer.start()
    values = []
    try:
        while len(values) < 100:
            batch = await asyncio.wait_for(consumer.getmany(timeout_ms=1000), 30)
            for messages in batch.values():
                values += [m.value for m in messages]
        await consumer.commit()
    finally:
        await consumer.stop()
    assert values == [b"a%d" % i for i in range(100)], values[:5]


asyncio.run(aiokafka_round_trip())
print("OK")
