package dev.stratus.metadata;

import dev.stratus.metadata.quorum.QuorumStatus;
import java.util.concurrent.CompletableFuture;

/** Answers DescribeQuorum: the controller quorum as its active controller sees it. */
@FunctionalInterface
public interface QuorumDescriber {

    CompletableFuture<QuorumStatus> describeQuorum();
}
