vcl 4.1;
# Varnish, the CDN stand-in in front of HAProxy (written out by deploy/cluster/services.py).
# It stores what the site marks `Cache-Control: public` for s-maxage, serves it stale while it
# refreshes (stale-while-revalidate) or while the site is down (stale-if-error), and accepts
# PURGE from 127.0.0.1 (the site's CDN_PURGE_URL): the page and its query-string variants.

import std;

backend haproxy {
    .host = "127.0.0.1";
    .port = "$haproxy_port";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
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
    # Stale copies only past the site's stale-while-revalidate, unless the site is down.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 60s;
    }
    return (hash);
}

sub vcl_hash {
    # One site: the path and query are the key (the host differs between the site's own URLs
    # and the loopback address).
    hash_data(req.url);
    return (lookup);
}

sub vcl_backend_response {
    set beresp.http.X-Url = bereq.url;
    if (beresp.http.Cache-Control !~ "public" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # stale-if-error: keep the copy for a day past its lifetime (req.grace decides when to use it).
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(regsub(beresp.http.Cache-Control, ".*stale-if-error=([0-9]+).*", "\1s"), 60s);
    }
}

sub vcl_deliver {
    unset resp.http.X-Url;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
