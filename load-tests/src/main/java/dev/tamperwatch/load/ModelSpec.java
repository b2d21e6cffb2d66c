package dev.tamperwatch.load;

import dev.tamperwatch.schema.Hashing;
import dev.tamperwatch.schema.avro.ModelRef;
import java.util.Objects;

/**
 * The model an application calls.
 *
 * @param provider {@code gen_ai.provider.name}, e.g. {@code openai}
 * @param name {@code gen_ai.request.model}
 * @param version provider version label
 * @param digest hash of the weights or artifact, {@code sha256:<hex>}
 */
public record ModelSpec(String provider, String name, String version, String digest) {

    public ModelSpec {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(digest, "digest");
    }

    /** A model whose digest is the SHA-256 of {@code provider/name@version}. */
    public static ModelSpec of(String provider, String name, String version) {
        return new ModelSpec(
                provider,
                name,
                version,
                "sha256:" + Hashing.sha256Hex(provider + "/" + name + "@" + version));
    }

    ModelRef toModelRef() {
        return new ModelRef(provider, name, version, digest, null);
    }
}
