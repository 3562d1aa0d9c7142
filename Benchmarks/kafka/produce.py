"""Produces the lines of a file as Kafka messages, one line per message, round-robin over the
partitions of a new topic (created with retention.ms=-1: the test broker deletes old records).

    python produce.py BROKERS TOPIC PARTITIONS FILE [COMPRESSION]
"""
import sys

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic


def main():
    brokers, topic, partitions, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    compression = sys.argv[5] if len(sys.argv) > 5 else "none"
    admin = AdminClient({"bootstrap.servers": brokers})
    created = admin.create_topics(
        [NewTopic(topic, num_partitions=partitions, replication_factor=1, config={"retention.ms": "-1"})])
    created[topic].result()
    producer = Producer({"bootstrap.servers": brokers, "compression.type": compression, "linger.ms": 50,
                         "batch.size": 1 << 20, "queue.buffering.max.messages": 1_000_000})
    count = 0
    with open(path, "rb") as f:
        for line in f:
            while True:
                try:
                    producer.produce(topic, value=line.rstrip(b"\n"), partition=count % partitions)
                    break
                except BufferError:
                    producer.poll(0.1)
            count += 1
            if count % 10_000 == 0:
                producer.poll(0)
    if producer.flush(120):
        sys.exit("messages left unsent")
    print(count)


if __name__ == "__main__":
    main()
