package dev.tamperwatch.load;

import static dev.tamperwatch.schema.avro.PromptSource.EMAIL;
import static dev.tamperwatch.schema.avro.PromptSource.FILE;
import static dev.tamperwatch.schema.avro.PromptSource.RETRIEVED_DOCUMENT;
import static dev.tamperwatch.schema.avro.PromptSource.TOOL_RESULT;
import static dev.tamperwatch.schema.avro.PromptSource.WEB;

import dev.tamperwatch.schema.avro.PromptSource;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The tools agents draw their fixed tool sets from. */
public final class ToolCatalog {

    private static final List<Tool> TOOLS =
            List.of(
                    tool(
                            "search_kb",
                            "datastore",
                            RETRIEVED_DOCUMENT,
                            0.9,
                            List.of("query", "top_k"),
                            "kb://{tenant}/support-articles",
                            "kb://{tenant}/product-docs",
                            "kb://{tenant}/policies"),
                    tool(
                            "get_customer",
                            "function",
                            TOOL_RESULT,
                            0.4,
                            List.of("customer_id"),
                            "crm.customers"),
                    tool(
                            "update_ticket",
                            "function",
                            TOOL_RESULT,
                            0.05,
                            List.of("ticket_id", "status", "comment"),
                            "helpdesk.tickets"),
                    tool(
                            "create_ticket",
                            "function",
                            TOOL_RESULT,
                            0.05,
                            List.of("title", "description", "priority"),
                            "helpdesk.tickets"),
                    tool(
                            "send_email",
                            "function",
                            TOOL_RESULT,
                            0.0,
                            List.of("to", "subject", "body"),
                            "support@{tenant}.com",
                            "team-leads@{tenant}.com",
                            "billing@{tenant}.com"),
                    tool(
                            "export_table",
                            "datastore",
                            TOOL_RESULT,
                            0.1,
                            List.of("table", "format", "filter"),
                            "warehouse.orders_daily",
                            "warehouse.tickets_daily"),
                    tool(
                            "http_get",
                            "function",
                            WEB,
                            0.8,
                            List.of("url", "headers"),
                            "docs.{tenant}.com",
                            "status.{tenant}.com",
                            "api.github.com"),
                    tool(
                            "http_post",
                            "function",
                            TOOL_RESULT,
                            0.1,
                            List.of("url", "body", "headers"),
                            "hooks.{tenant}.internal",
                            "api.{tenant}.internal"),
                    tool(
                            "read_file",
                            "function",
                            FILE,
                            0.7,
                            List.of("path"),
                            "/shared/reports",
                            "/shared/templates"),
                    tool(
                            "write_file",
                            "function",
                            TOOL_RESULT,
                            0.0,
                            List.of("path", "content"),
                            "/shared/drafts"),
                    tool(
                            "run_sql",
                            "datastore",
                            TOOL_RESULT,
                            0.6,
                            List.of("query", "database"),
                            "warehouse.orders",
                            "warehouse.events",
                            "warehouse.tickets"),
                    tool(
                            "create_invoice",
                            "function",
                            TOOL_RESULT,
                            0.1,
                            List.of("customer_id", "amount", "currency"),
                            "billing.invoices"),
                    tool(
                            "get_invoice",
                            "function",
                            TOOL_RESULT,
                            0.4,
                            List.of("invoice_id"),
                            "billing.invoices"),
                    tool(
                            "refund_payment",
                            "function",
                            TOOL_RESULT,
                            0.1,
                            List.of("payment_id", "amount", "reason"),
                            "billing.payments"),
                    tool(
                            "lookup_order",
                            "function",
                            TOOL_RESULT,
                            0.5,
                            List.of("order_id"),
                            "shop.orders"),
                    tool(
                            "update_order",
                            "function",
                            TOOL_RESULT,
                            0.05,
                            List.of("order_id", "fields"),
                            "shop.orders"),
                    tool(
                            "search_web",
                            "extension",
                            WEB,
                            0.9,
                            List.of("query"),
                            "www.bing.com",
                            "duckduckgo.com"),
                    tool(
                            "read_email",
                            "function",
                            EMAIL,
                            0.9,
                            List.of("mailbox", "folder", "limit"),
                            "mailbox:support@{tenant}.com",
                            "mailbox:sales@{tenant}.com"),
                    tool(
                            "list_calendar",
                            "function",
                            TOOL_RESULT,
                            0.5,
                            List.of("user", "range"),
                            "calendar.{tenant}.com"),
                    tool(
                            "schedule_meeting",
                            "function",
                            TOOL_RESULT,
                            0.05,
                            List.of("attendees", "start", "duration"),
                            "calendar.{tenant}.com"),
                    tool(
                            "post_chat_message",
                            "function",
                            TOOL_RESULT,
                            0.0,
                            List.of("channel", "text"),
                            "chat:#support",
                            "chat:#sales",
                            "chat:#eng"),
                    tool(
                            "get_employee",
                            "function",
                            TOOL_RESULT,
                            0.4,
                            List.of("employee_id"),
                            "hr.employees"),
                    tool(
                            "update_employee",
                            "function",
                            TOOL_RESULT,
                            0.05,
                            List.of("employee_id", "fields"),
                            "hr.employees"),
                    tool(
                            "search_code",
                            "datastore",
                            RETRIEVED_DOCUMENT,
                            0.8,
                            List.of("query", "repository"),
                            "git.{tenant}.internal/platform",
                            "git.{tenant}.internal/web"),
                    tool(
                            "run_tests",
                            "function",
                            TOOL_RESULT,
                            0.5,
                            List.of("repository", "target"),
                            "ci.{tenant}.internal"),
                    tool(
                            "create_pull_request",
                            "function",
                            TOOL_RESULT,
                            0.1,
                            List.of("repository", "branch", "title"),
                            "git.{tenant}.internal/platform",
                            "git.{tenant}.internal/web"),
                    tool(
                            "get_metrics",
                            "function",
                            TOOL_RESULT,
                            0.5,
                            List.of("metric", "range"),
                            "metrics.{tenant}.internal"),
                    tool(
                            "summarize_document",
                            "function",
                            RETRIEVED_DOCUMENT,
                            0.6,
                            List.of("document_id"),
                            "docs.{tenant}.internal"),
                    tool(
                            "translate_text",
                            "function",
                            TOOL_RESULT,
                            0.3,
                            List.of("text", "target_language"),
                            "translate.{tenant}.internal"),
                    tool(
                            "upload_file",
                            "function",
                            TOOL_RESULT,
                            0.0,
                            List.of("path", "destination"),
                            "s3://{tenant}-shared/exports"),
                    tool(
                            "share_document",
                            "function",
                            TOOL_RESULT,
                            0.0,
                            List.of("document_id", "recipient", "permission"),
                            "docs.{tenant}.internal"),
                    tool(
                            "create_api_token",
                            "function",
                            TOOL_RESULT,
                            0.0,
                            List.of("scope", "ttl"),
                            "iam.{tenant}.internal"));

    private static final Map<String, Tool> BY_NAME =
            TOOLS.stream().collect(Collectors.toUnmodifiableMap(Tool::name, Function.identity()));

    private ToolCatalog() {}

    /** All catalogue tools in a fixed order. */
    public static List<Tool> all() {
        return TOOLS;
    }

    /**
     * The tool of that name.
     *
     * @throws NoSuchElementException if the catalogue has no such tool
     */
    public static Tool get(String name) {
        Tool tool = BY_NAME.get(name);
        if (tool == null) {
            throw new NoSuchElementException("no tool " + name);
        }
        return tool;
    }

    private static Tool tool(
            String name,
            String type,
            PromptSource resultSource,
            double resultProbability,
            List<String> argumentKeys,
            String... targets) {
        return new Tool(
                name, type, argumentKeys, resultSource, resultProbability, List.of(targets));
    }
}
