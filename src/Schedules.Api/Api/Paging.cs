using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.WebUtilities;

namespace Schedules.Api;

internal sealed record Link(string Href, string Rel);

/// <summary>The <c>limit</c> and <c>marker</c> query parameters of a list call, checked.</summary>
internal sealed record PageRequest(int Limit, string? Marker)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static Checked<PageRequest> From(HttpRequest request)
    {
        var limit = DefaultLimit;
        var limitText = request.Query["limit"].ToString();
        if (limitText.Length > 0)
        {
            if (!int.TryParse(limitText, out limit) || limit < 1)
            {
                return Fault.BadRequest("Invalid 'limit': must be a positive integer.");
            }

            // Like Trove, a limit above the maximum is lowered to it rather than refused.
            limit = Math.Min(limit, MaxLimit);
        }

        var marker = request.Query["marker"].ToString();
        return new PageRequest(limit, marker.Length > 0 ? marker : null);
    }

    /// <summary>
    /// The position of the item a <c>marker</c> names (the id of the last item of the previous page), read by
    /// <paramref name="find"/>; a marker that names no item of <paramref name="what"/> is a 400.
    /// </summary>
    public static async Task<Checked<TKey>> MarkerPositionAsync<TKey>(
        string marker,
        string what,
        Func<Guid, Task<TKey?>> find)
        where TKey : struct
    {
        var position = Ids.TryParse(marker, out var id) ? await find(id) : null;
        return position is { } found
            ? found
            : Fault.BadRequest($"Invalid 'marker': '{JsonFields.Truncate(marker)}' names no {what}.");
    }

    /// <summary>The <c>next</c> link for a page that has more after it: this URL with a new marker.</summary>
    public IReadOnlyList<Link>? NextLinks(HttpRequest request, bool hasMore, string? lastMarker)
    {
        if (!hasMore || lastMarker is null)
        {
            return null;
        }

        var query = request.Query
            .Where(pair => pair.Key is not ("limit" or "marker"))
            .Select(pair => new KeyValuePair<string, string?>(pair.Key, pair.Value.ToString()))
            .Append(new("limit", Limit.ToString()))
            .Append(new("marker", lastMarker));
        var href = QueryHelpers.AddQueryString(ServiceUrls.Base(request) + request.Path, query);
        return [new Link(href, "next")];
    }
}

internal static class PageQueries
{
    /// <summary>Reads one row more than the page holds, to learn whether a next page exists.</summary>
    public static async Task<(List<T> Items, bool HasMore)> TakePageAsync<T>(
        this IQueryable<T> ordered,
        int limit,
        CancellationToken cancellationToken)
    {
        var rows = await ordered.Take(limit + 1).ToListAsync(cancellationToken);
        var hasMore = rows.Count > limit;
        if (hasMore)
        {
            rows.RemoveAt(limit);
        }

        return (rows, hasMore);
    }
}
