using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Schedules.Identity;

namespace Schedules.OpenApi;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and Swagger UI at <c>/swagger</c>.</summary>
internal static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";
    private const string TokenScheme = "token";

    public static IServiceCollection AddSchedulesOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Schedules: Cloud Databases v1.0 scheduled backups",
                    Version = "v1.0",
                    Description = "Scheduled backups of database instances, as the Rackspace Cloud Databases "
                        + "v1.0 API defines them. Get a token from POST /v3/auth/tokens (header X-Subject-Token) "
                        + "or POST /v2.0/tokens (access.token.id), press Authorize and paste it. The account id "
                        + "in every path is your project id.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[TokenScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = TokenCheck.Header,
                    Description = "A token from the identity endpoints.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<RequestExample>().FirstOrDefault() is { } example
                    && operation.RequestBody?.Content is { } content
                    && content.TryGetValue("application/json", out var media))
                {
                    media.Example = JsonNode.Parse(example.Json);
                }

                if (context.Description.RelativePath?.StartsWith("v1.0/", StringComparison.Ordinal) == true)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(TokenScheme, context.Document)] = [],
                    });
                }

                return Task.CompletedTask;
            });
        });

    public static WebApplication UseSchedulesOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint(DocumentPath, "Schedules v1.0");
            options.RoutePrefix = "swagger";
            options.DocumentTitle = "Schedules API";
            options.EnableTryItOutByDefault();
        });
        return app;
    }
}
