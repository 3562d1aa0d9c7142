"""The Python baseline of the Kafka benchmark, written the usual way: a confluent-kafka
(librdkafka) consumer in a group, osquery results flattened with the standard library into one
Delta table per query name with pyarrow + deltalake, partitioned by event day, every 100,000
messages (Avocet's default flush), with the offsets committed to the group after each write.
Stops once every partition reaches the high watermark it had at the start.

    python python_consumer.py BROKERS TOPIC GROUP ROOT
"""
import datetime
import json
import sys

import pyarrow as pa
from confluent_kafka import Consumer, TopicPartition
from deltalake import write_deltalake

BATCH = 100_000


def typed(rows):
    """Numbers typed when every value of a column parses, strings otherwise."""
    names = {k for row in rows for k in row}
    for name in names:
        values = [row.get(name) for row in rows]
        try:
            converted = [None if v is None else int(v) for v in values]
        except (TypeError, ValueError):
            continue
        for row, v in zip(rows, converted):
            row[name] = v


def flatten(record):
    t = datetime.datetime.fromtimestamp(int(record["unixTime"]), tz=datetime.timezone.utc)
    row = {
        "host_identifier": record.get("hostIdentifier"),
        "event_time": t,
        "calendar_time": record.get("calendarTime"),
        "action": record.get("action"),
        "epoch": int(record.get("epoch", 0)),
        "counter": int(record.get("counter", 0)),
        "decorations": list(record.get("decorations", {}).items()),
        "year": t.year, "month": t.month, "day": t.day,
    }
    row.update(record.get("columns", {}))
    return row


def main():
    brokers, topic, group, root = sys.argv[1:5]
    # noida-db ignores the fetch size limits and answers with the whole backlog (226 MB at
    # 300,000 messages), which librdkafka refuses above receive.message.max.bytes.
    consumer = Consumer({"bootstrap.servers": brokers, "group.id": group, "auto.offset.reset": "earliest",
                         "enable.auto.commit": False, "receive.message.max.bytes": 2_000_000_000})
    metadata = consumer.list_topics(topic, timeout=10)
    partitions = sorted(metadata.topics[topic].partitions)
    targets = {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in partitions}
    consumer.subscribe([topic])
    positions = {p: 0 for p in partitions}
    tables, buffered = {}, 0

    def flush():
        for name, rows in tables.items():
            typed(rows)
            write_deltalake(root + "/" + name, pa.Table.from_pylist(rows), mode="append",
                            partition_by=["year", "month", "day"], schema_mode="merge")
        tables.clear()
        consumer.commit(asynchronous=False)

    while any(positions[p] < targets[p] for p in partitions):
        for message in consumer.consume(num_messages=10_000, timeout=1.0):
            if message.error():
                raise SystemExit(str(message.error()))
            record = json.loads(message.value())
            tables.setdefault(record["name"], []).append(flatten(record))
            positions[message.partition()] = message.offset() + 1
            buffered += 1
            if buffered >= BATCH:
                flush()
                buffered = 0
    if tables:
        flush()
    consumer.close()


if __name__ == "__main__":
    main()
