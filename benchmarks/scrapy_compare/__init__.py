"""oitwatch against Scrapy on one loopback farm: see README.md."""
