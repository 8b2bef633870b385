vcl 4.1;
# Varnish, the CDN stand-in in front of HAProxy (written out by deploy/cluster/services.py).
# It stores what the site marks `Cache-Control: public` for s-maxage and accepts PURGE from
# 127.0.0.1 (the site's CDN_PURGE_URL): the page and its query-string variants. It is also the
# site's shield when the nodes are down or slow:
# - a stored page is served stale for its stale-while-revalidate (60 s) while it is refreshed in
#   the background, and for its stale-if-error (a day) while the site fails: the probe below
#   finds no node, or a fetch fails or answers 500/502/503/504 (then the request is tried once
#   more against any stale copy); X-Shield notes where a request is on that path;
# - what it cannot serve gets the site's own 503 page (deploy/cluster/errors/, put in here by
#   services.render_vcl, written by
#   `manage.py write_error_pages`) in the URL's language, with Retry-After: never Varnish's
#   "Backend fetch failed" or HAProxy's "No server is available".

import std;

backend haproxy {
    .host = "127.0.0.1";
    .port = "$haproxy_port";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    # Sick when /healthz fails through HAProxy (no node in rotation: HAProxy answers 503 itself).
    .probe = {
        .request = "GET /healthz HTTP/1.1" "Host: 127.0.0.1" "X-Forwarded-Proto: https" "Connection: close";
        .interval = 1s;
        .timeout = 2s;
        .window = 3;
        .threshold = 2;
    }
}

acl purgers {
    "127.0.0.1";
}

sub vcl_recv {
    # X-Shield is this file's own note between restarts (lookup → stale): never the client's.
    if (req.restarts == 0) {
        unset req.http.X-Shield;
    }
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        ban("obj.http.X-Url ~ ^" + regsub(req.url, "\?.*$$", "") + "(\?|$$)");
        return (synth(200, "Purged"));
    }
    # In production the CDN terminates TLS; on loopback this proxy plays that part.
    set req.http.X-Forwarded-Proto = "https";
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    if (req.http.X-Shield == "stale") {
        # The site just failed this request: any copy still within its stale-if-error will do.
        return (hash);
    }
    if (req.http.X-Shield == "fresh") {
        # vcl_hit found only a copy past its stale-while-revalidate while the site is up.
        set req.grace = 0s;
        return (hash);
    }
    set req.http.X-Shield = "lookup";
    return (hash);
}

sub vcl_hit {
    # A copy past its lifetime is served (and refreshed in the background) for its
    # stale-while-revalidate while the site is up, and for its whole grace (stale-if-error) while
    # the probe says it is down. Past its stale-while-revalidate with the site up, the visitor
    # waits for a fresh copy instead (and gets the stale one if that fetch fails).
    if (obj.ttl <= 0s && req.http.X-Shield == "lookup" && std.healthy(req.backend_hint)
        && obj.ttl + std.duration(obj.http.X-Stale-While-Revalidate + "s", 0s) <= 0s) {
        set req.http.X-Shield = "fresh";
        return (restart);
    }
}

sub vcl_hash {
    # One site: the path and query are the key (the host differs between the site's own URLs
    # and the loopback address).
    hash_data(req.url);
    return (lookup);
}

sub vcl_miss {
    if (req.http.X-Shield == "stale") {
        # No copy to fall back on: the site's 503 page, without asking the failing site again.
        return (synth(503));
    }
}

sub vcl_backend_fetch {
    unset bereq.http.X-Shield;
}

sub vcl_backend_response {
    set beresp.http.X-Url = bereq.url;
    if (beresp.status == 500 || beresp.status == 502 || beresp.status == 503 || beresp.status == 504) {
        # A refresh in the background keeps the stale copy; a visitor's fetch of a page becomes a
        # second try against any stale copy, then the 503 page (vcl_synth). The site's own answers
        # to a form or an editor (passed, never stored: the read-only page, say) go through as they
        # are; errors made by HAProxy (no X-Content-Type-Options, which the site always sends) do not.
        if (bereq.is_bgfetch || !bereq.uncacheable || !beresp.http.X-Content-Type-Options) {
            return (abandon);
        }
    }
    if (beresp.http.Cache-Control !~ "public" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Varnish takes the grace from stale-while-revalidate; keep the copy for the site's
    # stale-if-error instead (vcl_hit applies stale-while-revalidate while the site is up). No
    # keep: the site sends no validators (ETag, Last-Modified) to revalidate an expired copy with.
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(regsub(beresp.http.Cache-Control, ".*stale-if-error=([0-9]+).*", "\1s"), 60s);
    }
    if (beresp.http.Cache-Control ~ "stale-while-revalidate=[0-9]+") {
        set beresp.http.X-Stale-While-Revalidate = regsub(
            beresp.http.Cache-Control, ".*stale-while-revalidate=([0-9]+).*", "\1");
    }
    set beresp.keep = 0s;
}

sub vcl_backend_error {
    # No answer at all (HAProxy down, the probe says sick, a timeout): as a 503 above.
    return (abandon);
}

sub vcl_synth {
    if (resp.status != 503) {
        return (deliver);
    }
    if (req.http.X-Shield == "lookup" || req.http.X-Shield == "fresh") {
        set req.http.X-Shield = "stale";
        return (restart);
    }
    # The site's own 503 page, in the URL's language (else the browser's; French first).
    set resp.reason = "Service Unavailable";
    set resp.http.Content-Type = "text/html; charset=utf-8";
    set resp.http.Retry-After = "60";
    set resp.http.Cache-Control = "no-store";
    set resp.http.X-Content-Type-Options = "nosniff";
    set resp.http.X-Frame-Options = "DENY";
    set resp.http.Referrer-Policy = "strict-origin-when-cross-origin";
    set resp.http.Content-Security-Policy = "default-src 'none'; frame-ancestors 'none'";
    if (req.url ~ "^/en(/|\?|$$)" || (req.url !~ "^/fr(/|\?|$$)" && req.http.Accept-Language ~ "^\s*en")) {
        set resp.http.Content-Language = "en";
        set resp.body = {"$error_page_en"};
    } else {
        set resp.http.Content-Language = "fr";
        set resp.body = {"$error_page_fr"};
    }
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.X-Url;
    unset resp.http.X-Stale-While-Revalidate;
    if (obj.hits > 0 && obj.ttl < 0s) {
        set resp.http.X-Cache = "stale";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
