"""kafka-python against Stratus: admin creates a topic, a producer writes with acks=all,
a consumer reads everything back by assignment, a group consumer reads and commits, the admin
client lists the group and its offsets, admin deletes the topic.
Usage: kafka_python_probe.py BOOTSTRAP TOPIC; prints "PROBE OK" and exits 0 on success."""
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic

RECORDS = 500


def main(bootstrap, topic):
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1)])
    assert topic in admin.list_topics(), "topic listed"

    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", compression_type="gzip")
    for i in range(RECORDS):
        producer.send(topic, key=b"k%d" % i, value=b"v%d" % i, partition=i % 2)
    producer.flush()
    producer.close()

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, consumer_timeout_ms=10000)
    partitions = [TopicPartition(topic, 0), TopicPartition(topic, 1)]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    seen = {}
    for record in consumer:
        seen[record.key] = record.value
        if len(seen) == RECORDS:
            break
    consumer.close()
    assert len(seen) == RECORDS, "read %d of %d records" % (len(seen), RECORDS)
    assert all(seen[b"k%d" % i] == b"v%d" % i for i in range(RECORDS)), "values match keys"

    # A group consumer reads everything, commits, and the group is visible to the admin client.
    group = topic + "-group"
    member = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset="earliest",
                           enable_auto_commit=False, consumer_timeout_ms=10000)
    read = 0
    for _ in member:
        read += 1
        if read == RECORDS:
            break
    member.commit()
    member.close()
    assert read == RECORDS, "group member read %d of %d records" % (read, RECORDS)
    groups = [g[0] for g in admin.list_consumer_groups()]
    assert group in groups, "group listed: %s" % groups
    committed = admin.list_consumer_group_offsets(group)
    assert sum(o.offset for o in committed.values()) == RECORDS, "committed offsets: %s" % committed

    admin.delete_topics([topic])
    admin.close()
    print("PROBE OK")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
