from peerpath.testing.access import Route

ROUTES: list[Route] = []
