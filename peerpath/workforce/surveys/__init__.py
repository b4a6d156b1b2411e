"""Staff surveys (peer role agreement and workplace stigma), answered anonymously, shown for groups of at least five."""
