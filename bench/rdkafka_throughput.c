// Kafka-wire throughput of a running `sluice serve`, measured with librdkafka from C: the library under
// confluent-kafka, without Python's per-message objects. For each of acks=1/all and no compression/LZ4, N
// 100-byte messages are produced to a fresh topic (linger.ms=5, a delivery report for every message) and then
// consumed back from offset 0 with librdkafka's batch consume. Every message's delivery report and every consumed
// message's error field, offset and size are checked, and the consumed count must equal N (a consumer that stops
// getting messages for 30 s reports the shortfall). Topics are auto-created with the broker's default of one
// partition, which is what the consumer reads. Prints messages/s and MB/s.
//
// usage: rdkafka_throughput HOST:PORT N
// Built and run by bench/kafka-vs-redis.sh.
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long delivered, failed;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *message, void *opaque) {
    (void)rk;
    (void)opaque;
    if (message->err) {
        if (failed++ == 0) fprintf(stderr, "delivery failed: %s\n", rd_kafka_err2str(message->err));
    } else {
        delivered++;
    }
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void set(rd_kafka_conf_t *conf, const char *key, const char *value) {
    char error[256];
    if (rd_kafka_conf_set(conf, key, value, error, sizeof error) != RD_KAFKA_CONF_OK) {
        fprintf(stderr, "%s=%s: %s\n", key, value, error);
        exit(1);
    }
}

static double produce(const char *broker, const char *topic, long n, const char *acks, const char *compression) {
    char error[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", broker);
    set(conf, "acks", acks);
    set(conf, "compression.type", compression);
    set(conf, "linger.ms", "5");
    set(conf, "batch.size", "1000000");
    set(conf, "queue.buffering.max.messages", "2000000");
    set(conf, "queue.buffering.max.kbytes", "2000000");
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_t *producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (!producer) {
        fprintf(stderr, "producer: %s\n", error);
        exit(1);
    }
    char value[100];
    memset(value, 'x', sizeof value);
    delivered = failed = 0;
    double started = now();
    for (long sent = 0; sent < n;) {
        rd_kafka_resp_err_t err = rd_kafka_producev(
            producer, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_VALUE(value, sizeof value),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            rd_kafka_poll(producer, 10);
        } else if (err) {
            fprintf(stderr, "produce: %s\n", rd_kafka_err2str(err));
            exit(1);
        } else {
            sent++;
            if ((sent & 0xffff) == 0) rd_kafka_poll(producer, 0);
        }
    }
    if (rd_kafka_flush(producer, 120000) != RD_KAFKA_RESP_ERR_NO_ERROR || delivered != n || failed) {
        fprintf(stderr, "delivered %ld of %ld, %ld failed\n", delivered, n, failed);
        exit(1);
    }
    double elapsed = now() - started;
    rd_kafka_destroy(producer);
    return elapsed;
}

static double consume(const char *broker, const char *topic, long n) {
    char error[256];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", broker);
    // A fetch of 1 MiB of LZ4 batches of these compressible messages holds about 200,000 messages, more than the
    // default queued.min.messages (100,000); librdkafka then stops fetching that partition for a second (2.0.2
    // hard-codes the pause; 2.4+ calls it fetch.queue.backoff.ms), and consuming LZ4 measured 0.2M msg/s against
    // any broker. A larger threshold keeps the fetcher going; memory stays bounded by queued.max.messages.kbytes.
    set(conf, "queued.min.messages", "1000000");
    // librdkafka >= 2.4 has the pause as fetch.queue.backoff.ms (what kafka_throughput.py sets); 2.0.2 has not.
    char ignored[256];
    rd_kafka_conf_set(conf, "fetch.queue.backoff.ms", "1", ignored, sizeof ignored);
    rd_kafka_t *consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
    if (!consumer) {
        fprintf(stderr, "consumer: %s\n", error);
        exit(1);
    }
    rd_kafka_topic_t *handle = rd_kafka_topic_new(consumer, topic, NULL);
    static rd_kafka_message_t *batch[10000];
    double started = now();
    if (rd_kafka_consume_start(handle, 0, RD_KAFKA_OFFSET_BEGINNING) != 0) {
        fprintf(stderr, "consume_start: %s\n", rd_kafka_err2str(rd_kafka_last_error()));
        exit(1);
    }
    long count = 0;
    int64_t expected = 0;
    double progressed = now();
    while (count < n) {
        ssize_t got = rd_kafka_consume_batch(handle, 0, 1000, batch, 10000);
        if (got < 0) {
            fprintf(stderr, "consume: %s\n", rd_kafka_err2str(rd_kafka_last_error()));
            exit(1);
        }
        if (got > 0) {
            progressed = now();
        } else if (now() - progressed > 30) {
            fprintf(stderr, "consumed %ld of %ld messages, then nothing for 30 s\n", count, n);
            exit(1);
        }
        for (ssize_t i = 0; i < got; i++) {
            rd_kafka_message_t *message = batch[i];
            if (message->err || message->offset != expected || message->len != 100) {
                fprintf(stderr, "message at %lld (expected %lld, %zu bytes): %s\n", (long long)message->offset,
                        (long long)expected, message->len, rd_kafka_err2str(message->err));
                exit(1);
            }
            expected++;
            count++;
            rd_kafka_message_destroy(message);
        }
    }
    double elapsed = now() - started;
    rd_kafka_consume_stop(handle, 0);
    rd_kafka_topic_destroy(handle);
    rd_kafka_destroy(consumer);
    return elapsed;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s HOST:PORT N\n", argv[0]);
        return 2;
    }
    const char *broker = argv[1];
    long n = atol(argv[2]);
    double mb = (double)n * 100 / 1e6;
    printf("librdkafka %s from C, %ld messages of 100 bytes, linger.ms=5\n", rd_kafka_version_str(), n);
    const char *acks[] = {"1", "all"};
    const char *compressions[] = {"none", "lz4"};
    for (int a = 0; a < 2; a++) {
        for (int c = 0; c < 2; c++) {
            char topic[96];
            // A fresh topic per run: offsets are checked from 0, so an old topic's messages would be counted.
            snprintf(topic, sizeof topic, "bench-c-acks%s-%s-%ld-%ld", acks[a], compressions[c], (long)getpid(), (long)time(NULL));
            double p = produce(broker, topic, n, acks[a], compressions[c]);
            double q = consume(broker, topic, n);
            printf("sluice acks=%-3s %-4s  produce %12.0f msg/s %8.1f MB/s   consume %12.0f msg/s %8.1f MB/s\n", acks[a],
                   compressions[c], n / p, mb / p, n / q, mb / q);
            fflush(stdout);
        }
    }
    return 0;
}
