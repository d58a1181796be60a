"""Default templates of disclosure; a site overrides any of them in its own layouts/."""
