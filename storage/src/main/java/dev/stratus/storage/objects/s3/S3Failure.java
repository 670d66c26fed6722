package dev.stratus.storage.objects.s3;

import dev.stratus.storage.objects.ObjectStorageErrorKind;

/**
 * One failed S3 request as {@link S3ErrorClassifier} sorted it.
 *
 * @param kind   what the caller should do
 * @param status the HTTP status, or 0 when no answer came (connection error, timeout)
 * @param code   S3's error code ({@code NoSuchKey}, {@code SlowDown}, ...), or null when the answer had none
 * @param cause  the SDK's exception
 */
public record S3Failure(ObjectStorageErrorKind kind, int status, String code, Throwable cause) {

    /** A short description for logs and messages: code, status, and the SDK's message. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        if (code != null) {
            text.append(code).append(' ');
        }
        if (status > 0) {
            text.append("(HTTP ").append(status).append(") ");
        }
        String message = cause.getMessage();
        text.append(message == null ? cause.getClass().getSimpleName() : message);
        return text.toString();
    }

    public boolean hasCode(String expected) {
        return expected.equals(code);
    }
}
