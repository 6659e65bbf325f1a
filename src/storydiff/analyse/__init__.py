"""storydiff.analyse"""
