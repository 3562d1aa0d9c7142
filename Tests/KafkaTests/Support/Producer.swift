import Foundation

/// Creates topics and produces messages with confluent-kafka (librdkafka) from the oracle
/// venv, so the tests read what a real, independent producer wrote.
enum TestProducer {
  /// Message i has key "key-i", value "value-i" + `padding` copies of "x", a header
  /// ("index", "i") and goes to partition i % partitions.
  struct Spec: Encodable {
    var brokers: String
    var topic: String
    var partitions = 3
    var count = 30
    var compression = "none"
    var padding = 0
    /// When set, every message's timestamp (ms); else the producer's clock.
    var timestamp: Int64?
    var createTopic = true
  }

  static let script = """
    import json, sys
    from confluent_kafka import Producer
    from confluent_kafka.admin import AdminClient, NewTopic
    spec = json.loads(sys.argv[1])
    conf = {'bootstrap.servers': spec['brokers']}
    if spec['createTopic']:
        admin = AdminClient(conf)
        futures = admin.create_topics([NewTopic(spec['topic'], num_partitions=spec['partitions'],
            replication_factor=1, config={'retention.ms': '-1'})], operation_timeout=10)
        for f in futures.values():
            f.result()
    p = Producer(dict(conf, **{'compression.type': spec['compression'], 'linger.ms': 20,
        'batch.num.messages': 10000, 'enable.idempotence': False, 'acks': 'all'}))
    errors = []
    def report(err, msg):
        if err is not None:
            errors.append(str(err))
    for i in range(spec['count']):
        kwargs = {}
        if spec.get('timestamp') is not None:
            kwargs['timestamp'] = spec['timestamp']
        p.produce(spec['topic'], key=f'key-{i}'.encode(), value=(f'value-{i}' + 'x' * spec['padding']).encode(),
                  partition=i % spec['partitions'], headers=[('index', str(i).encode())], on_delivery=report, **kwargs)
        p.poll(0)
    left = p.flush(30)
    if left or errors:
        sys.exit(f'not delivered: {left} left, errors {errors[:3]}')
    """

  static func produce(_ spec: Spec) throws {
    let json = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
    try KafkaTestBroker.python(script, [json])
  }
}
