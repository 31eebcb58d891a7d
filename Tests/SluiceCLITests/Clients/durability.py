"""The restart test of issue 6, with confluent-kafka (librdkafka).

usage: durability.py produce HOST:PORT   sends values 0, 1, 2, ... (acks=all, idempotent) until the broker goes
                                         away, printing each acknowledged value on its own line as it is confirmed
       durability.py verify HOST:PORT N  reads the topic from the beginning and checks that every value printed
                                         as acknowledged (from stdin) is there exactly once; prints OK and counts
"""
import sys

from confluent_kafka import Consumer, Producer, TopicPartition

MODE, BROKER = sys.argv[1], sys.argv[2]
TOPIC = "durable"

if MODE == "produce":
    producer = Producer({
        "bootstrap.servers": BROKER, "acks": "all", "enable.idempotence": True, "linger.ms": 2,
        "message.timeout.ms": 5000, "reconnect.backoff.max.ms": 100,
    })

    def delivered(error, message):
        if error is None:
            sys.stdout.write(message.value().decode() + "\n")
            sys.stdout.flush()

    i = 0
    while True:
        try:
            producer.produce(TOPIC, value=b"%d" % i, on_delivery=delivered)
            i += 1
        except BufferError:
            pass
        producer.poll(0 if i % 100 else 0.001)

elif MODE == "verify":
    acknowledged = [int(line) for line in sys.stdin if line.strip()]
    consumer = Consumer({"bootstrap.servers": BROKER, "group.id": "durability-check", "enable.auto.commit": False})
    _, end = consumer.get_watermark_offsets(TopicPartition(TOPIC, 0), timeout=30)
    consumer.assign([TopicPartition(TOPIC, 0, 0)])
    stored = []
    while len(stored) < end:
        for message in consumer.consume(num_messages=10000, timeout=1.0):
            if message.error():
                raise RuntimeError(message.error())
            stored.append(int(message.value()))
    consumer.close()
    counts = {}
    for value in stored:
        counts[value] = counts.get(value, 0) + 1
    lost = [value for value in acknowledged if value not in counts]
    assert not lost, f"{len(lost)} acknowledged messages lost, first {lost[:5]}"
    twice = [value for value, count in counts.items() if count > 1]
    assert not twice, f"{len(twice)} messages stored twice (idempotence), first {twice[:5]}"
    print(f"{len(acknowledged)} acknowledged, {len(stored)} stored")
    print("OK")
