package dev.stratus.metadata;

/** A metadata operation was refused; {@link #code()} says why. */
public class MetadataException extends RuntimeException {

    private final MetadataErrorCode code;

    public MetadataException(MetadataErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public MetadataErrorCode code() {
        return code;
    }
}
