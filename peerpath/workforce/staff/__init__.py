"""The workforce home, staff profiles, who may see whom, notices and background job runs (shared by every area)."""
