extension ProduceResponse {
    /// A response giving every partition of `request` the same error (for a whole-request refusal such as
    /// NOT_ENOUGH_REPLICAS or an authorization failure). Offsets are -1.
    public init(answering request: ProduceRequest, errorCode: KafkaErrorCode) {
        self.init(
            responses: request.topicData.map { topic in
                TopicProduceResponse(
                    name: topic.name,
                    partitionResponses: topic.partitionData.map {
                        TopicProduceResponse.PartitionProduceResponse(
                            index: $0.index, errorCode: errorCode.rawValue, baseOffset: -1, logAppendTimeMs: -1,
                            logStartOffset: -1)
                    })
            })
    }
}
