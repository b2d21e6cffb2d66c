package dev.tamperwatch.client;

import dev.tamperwatch.schema.avro.Principal;
import dev.tamperwatch.schema.avro.PrincipalType;

/**
 * Who acted, or on whose behalf: a principal type and an id that is stable for that identity
 * (baselines are kept per id).
 *
 * @param type kind of identity
 * @param id stable identifier within the tenant, e.g. {@code u-17} or {@code crm/agent-1}
 */
public record Actor(PrincipalType type, String id) {

    public static Actor user(String id) {
        return new Actor(PrincipalType.USER, id);
    }

    public static Actor application(String id) {
        return new Actor(PrincipalType.APPLICATION, id);
    }

    public static Actor agent(String id) {
        return new Actor(PrincipalType.AGENT, id);
    }

    public static Actor service(String id) {
        return new Actor(PrincipalType.SERVICE, id);
    }

    public static Actor system(String id) {
        return new Actor(PrincipalType.SYSTEM, id);
    }

    Principal toPrincipal() {
        return new Principal(type, id);
    }
}
