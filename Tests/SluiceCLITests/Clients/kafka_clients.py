"""Drives a running `sluice serve` Kafka listener with kafka-python: an idempotent producer (acks=all, the
default enable_idempotence) sends 1,000 keyed messages; a consumer without a group reads them back from the
beginning, each once and in order; the admin client lists the topic. Prints OK or raises.

usage: kafka_clients.py HOST:PORT
"""
import sys

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition

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
admin.close()
print("OK")
