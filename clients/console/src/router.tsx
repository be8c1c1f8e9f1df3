// Routing lives in the URL's fragment (#/users/ID): the server serves one
// page at /console/, and a link to any screen works after a reload.
import { useEffect, useState, type AnchorHTMLAttributes } from "react";

export interface Route {
  parts: string[];
  params: URLSearchParams;
}

function current(): Route {
  const [path, query] = location.hash.replace(/^#/, "").split("?");
  return { parts: (path ?? "").split("/").filter(Boolean), params: new URLSearchParams(query ?? "") };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const on = () => setRoute(current());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return route;
}

export function navigate(to: string): void {
  location.hash = to;
}

export function Link({ to, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return <a href={`#${to}`} {...rest} />;
}
