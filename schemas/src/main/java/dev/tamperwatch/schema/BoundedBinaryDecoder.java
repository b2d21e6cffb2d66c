package dev.tamperwatch.schema;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoder over a byte range that rejects any length or block count larger than the
 * bytes left, before anything is allocated, and rejects strings that are not valid UTF-8.
 *
 * <p>Plain Avro decoders allocate whatever a length prefix claims, so a few garbage bytes can
 * demand gigabytes. Every string, byte string and collection item of the Tamperwatch schemas takes
 * at least one byte, so a count above the bytes left is always malformed.
 */
final class BoundedBinaryDecoder extends Decoder {

    private final ByteArrayInputStream in;
    private final Decoder delegate;

    BoundedBinaryDecoder(byte[] bytes, int offset, int length) {
        this.in = new ByteArrayInputStream(bytes, offset, length);
        this.delegate = DecoderFactory.get().directBinaryDecoder(in, null);
    }

    /** Bytes not consumed yet. */
    int remaining() {
        return in.available();
    }

    private int checkedLength(long length, String what) throws IOException {
        if (length < 0 || length > remaining()) {
            throw new IOException(
                    what + " length " + length + " exceeds the " + remaining() + " bytes left");
        }
        return (int) length;
    }

    private long checkedCount(long count) throws IOException {
        if (count > remaining()) {
            throw new IOException(
                    "block of " + count + " items exceeds the " + remaining() + " bytes left");
        }
        return count;
    }

    private byte[] readLengthPrefixed(String what) throws IOException {
        byte[] bytes = new byte[checkedLength(delegate.readLong(), what)];
        delegate.readFixed(bytes, 0, bytes.length);
        return bytes;
    }

    @Override
    public String readString() throws IOException {
        byte[] bytes = readLengthPrefixed("string");
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException("string is not valid UTF-8", e);
        }
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        return new Utf8(readString());
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        return ByteBuffer.wrap(readLengthPrefixed("bytes"));
    }

    @Override
    public long readArrayStart() throws IOException {
        return checkedCount(delegate.readArrayStart());
    }

    @Override
    public long arrayNext() throws IOException {
        return checkedCount(delegate.arrayNext());
    }

    @Override
    public long readMapStart() throws IOException {
        return checkedCount(delegate.readMapStart());
    }

    @Override
    public long mapNext() throws IOException {
        return checkedCount(delegate.mapNext());
    }

    @Override
    public void readNull() throws IOException {
        delegate.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return delegate.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return delegate.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return delegate.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return delegate.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return delegate.readDouble();
    }

    @Override
    public void skipString() throws IOException {
        delegate.skipString();
    }

    @Override
    public void skipBytes() throws IOException {
        delegate.skipBytes();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        delegate.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        delegate.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return delegate.readEnum();
    }

    @Override
    public long skipArray() throws IOException {
        return delegate.skipArray();
    }

    @Override
    public long skipMap() throws IOException {
        return delegate.skipMap();
    }

    @Override
    public int readIndex() throws IOException {
        return delegate.readIndex();
    }
}
