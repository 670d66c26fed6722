package dev.stratus.metadata.controller;

import dev.stratus.metadata.image.MetadataImage;
import dev.stratus.metadata.record.MetadataRecord;
import java.util.List;
import java.util.function.Function;

/**
 * What a controller operation decided: the records to append (none for a read, a no-op or a
 * dry run) and the caller's answer, read from the image as it is once those records apply.
 * Operations are pure functions of an image and a request that return one of these; the
 * runtime appends the records and answers only once they are committed.
 */
public record ControllerResult<T>(List<MetadataRecord> records, Function<MetadataImage, T> response) {

    public ControllerResult {
        records = List.copyOf(records);
    }

    /** Appends {@code records} and answers {@code value}. */
    public static <T> ControllerResult<T> of(List<MetadataRecord> records, T value) {
        return new ControllerResult<>(records, image -> value);
    }

    /** Changes nothing and answers {@code value}. */
    public static <T> ControllerResult<T> none(T value) {
        return new ControllerResult<>(List.of(), image -> value);
    }

    /** Appends {@code records} and answers what {@code read} finds in the image they produce. */
    public static <T> ControllerResult<T> thenRead(List<MetadataRecord> records, Function<MetadataImage, T> read) {
        return new ControllerResult<>(records, read);
    }
}
